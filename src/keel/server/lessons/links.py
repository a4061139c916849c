"""Teachable moments: which lesson (or glossary entry) explains a problem type or a breaker rule.

The lessons say which problem codes and breaker rules they explain (front matter), glossary entries
the codes no lesson covers; `install(library)` builds the one table at start-up, and every
problem+json body (`keel.server.errors.problem_response`) and breaker explanation reads it here.
Like `keel.server.sealing`, it is process-wide: the content is the same for every runtime.
"""

from __future__ import annotations

from keel.learning import Library

LESSONS_PATH = "/api/v1/lessons/"
GLOSSARY_PATH = "/api/v1/glossary/"

_problem_links: dict[str, dict[str, str]] = {}
_rule_lessons: dict[str, str] = {}


def lesson_url(slug: str) -> str:
    return LESSONS_PATH + slug


def glossary_url(slug: str) -> str:
    return GLOSSARY_PATH + slug


def install(library: Library) -> None:
    """Build the code → link and rule → lesson tables from the loaded content."""
    problems: dict[str, dict[str, str]] = {}
    for entry in library.glossary.values():
        for code in entry.problems:
            problems[code] = {"glossary": glossary_url(entry.slug)}
    for lesson in library.lessons:
        for code in lesson.problems:
            problems[code] = {"lesson": lesson_url(lesson.slug)}
    rules = {
        rule: lesson_url(lesson.slug) for lesson in library.lessons for rule in lesson.breaker_rules
    }
    _problem_links.clear()
    _problem_links.update(problems)
    _rule_lessons.clear()
    _rule_lessons.update(rules)


def problem_links(code: str) -> dict[str, str]:
    """`{"lesson": url}` or `{"glossary": url}` for a problem code (empty before start-up)."""
    return dict(_problem_links.get(code, {}))


def cut_lesson() -> str | None:
    """The lesson that explains an order made smaller: breakers cut orders at CAUTIOUS and
    RESTRICTED, the levels whose refusals are `breaker-cautious-cap` and `breaker-restricted`."""
    return _problem_links.get("breaker-restricted", {}).get("lesson")


def rule_lesson(rule: str) -> str | None:
    """The URL of the lesson that explains breaker rule `rule`."""
    return _rule_lessons.get(rule)
