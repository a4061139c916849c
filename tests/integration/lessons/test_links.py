"""Teachable moments: every problem type the API can send, every breaker rule and every glossary
term links to a lesson or glossary entry that exists. The codes and rules are found by reading the
source (as tests/integration/test_problem_docs.py does for problem pages), so a new one cannot
hide."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from keel.domain.enums import Regime
from keel.learning import Library
from keel.market import load_bundled
from keel.risk.market_breaker import DEFAULT_LEVELS
from keel.server.errors import PROBLEM_TYPES
from keel.server.lessons.component import load_lessons
from keel.server.lessons.links import (
    GLOSSARY_PATH,
    LESSONS_PATH,
    install,
    problem_links,
    rule_lesson,
)
from keel.server.settings import Settings
from tests.integration.problem_codes import SOURCE, problem_codes_in_source

FAMILIES = {
    "mwcb_level_": [str(level.number) for level in DEFAULT_LEVELS],
    "regime_": [regime.name.lower() for regime in Regime],
}
"""Rules named at run time from a prefix, and every value the suffix can take."""


def _rule_names(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr):
        first = node.values[0]
        prefix = first.value if isinstance(first, ast.Constant) else ""
        assert prefix in FAMILIES, f"a rule name built at run time: {ast.unparse(node)}"
        return {prefix + suffix for suffix in FAMILIES[prefix]}
    if isinstance(node, ast.Name | ast.Attribute):
        return set()  # a rule passed along (`demand.rule`): named where it was made
    raise AssertionError(f"a rule name the scan cannot read: {ast.unparse(node)}")


def breaker_rules_in_source(root: Path = SOURCE / "risk") -> set[str]:
    """Every rule a breaker can record: `Demand(level, rule, …)`, `rule=…` and field defaults."""
    rules: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else None
                if name == "Demand" and len(node.args) >= 2:
                    rules |= _rule_names(node.args[1])
                rules |= {
                    n for kw in node.keywords if kw.arg == "rule" for n in _rule_names(kw.value)
                }
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == "rule"
                and node.value is not None
            ):
                rules |= _rule_names(node.value)
    return rules


@pytest.fixture(scope="module")
def library() -> Library:
    library = load_lessons(Settings().resolved_content_dir, load_bundled)
    install(library)
    return library


def _exists(library: Library, link: str) -> bool:
    if link.startswith(LESSONS_PATH):
        return library.lesson(link.removeprefix(LESSONS_PATH)) is not None
    return link.removeprefix(GLOSSARY_PATH) in library.glossary


def test_the_rule_scan_sees_every_family() -> None:
    rules = breaker_rules_in_source()
    assert {"mwcb_level_1", "mwcb_level_3", "regime_extreme", "price_jump", "stale_feed"} <= rules
    assert {"daily_loss", "drawdown", "stoploss_guard", "loss_cooldown", "admin", "calm"} <= rules


def test_every_problem_type_links_to_a_lesson_or_a_word(library: Library) -> None:
    codes = set(PROBLEM_TYPES) | problem_codes_in_source()
    missing = sorted(code for code in codes if not problem_links(code))
    assert missing == []
    for code in codes:
        (link,) = problem_links(code).values()
        assert _exists(library, link), (code, link)


def test_every_breaker_rule_links_to_a_lesson(library: Library) -> None:
    rules = breaker_rules_in_source()
    assert sorted(rule for rule in rules if rule_lesson(rule) is None) == []
    assert all(_exists(library, rule_lesson(rule) or "") for rule in rules)


def test_every_glossary_term_links_to_an_existing_lesson_or_explains_a_problem(
    library: Library,
) -> None:
    for entry in library.glossary.values():
        assert (entry.lesson is not None and library.lesson(entry.lesson)) or (
            set(entry.problems) <= set(PROBLEM_TYPES) and entry.problems
        ), entry.slug
    for lesson in library.lessons:
        assert set(lesson.problems) <= set(PROBLEM_TYPES), lesson.slug
