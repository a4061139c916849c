"""Read `content/lessons/*.md` and `content/glossary.yaml`, check everything, fill the figures.

A lesson is Markdown with YAML front matter between two `---` lines (format: docs/learning.md).
Anything wrong — a missing field, a quiz answer that is not one of the choices, a wrong answer
without feedback, an unknown figure, a glossary term that does not exist — raises `ContentError`
naming the file and line, so a malformed lesson stops start-up where it can be fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from keel.learning.content import Choice, GlossaryEntry, Lesson, Library, Question
from keel.learning.figures import FIGURES, History

MIN_QUESTIONS = 4
PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INTERACTIVE = {"spx-regime", "last-refusal"}
"""Live pieces the server can add to a lesson (see docs/learning.md)."""


class ContentError(ValueError):
    """A lesson or glossary file is malformed: `path`, `line` (1-based) and what is wrong."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about 10× faster), the same marks either way."""


@dataclass(frozen=True, slots=True)
class _Node:
    """A YAML value with the line (1-based, in the file) where it starts."""

    value: Any
    line: int


def _compose(path: Path, text: str, first_line: int) -> _Node:
    """Parse YAML `text` (starting at file line `first_line`) keeping each value's line."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ContentError(path, first_line, "the front matter is empty")
        return _convert(loader, root, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ContentError(path, line, f"this is not valid YAML ({exc.problem})") from exc
    finally:
        loader.dispose()


def _convert(loader: Any, node: yaml.Node, first_line: int) -> _Node:
    line = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        return _Node({str(k.value): _convert(loader, v, first_line) for k, v in node.value}, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(loader, item, first_line) for item in node.value], line)
    return _Node(loader.construct_object(node), line)  # a scalar, typed as YAML reads it


class _Reader:
    """Reads fields of one file's YAML, raising `ContentError` at the right line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, line: int, problem: str) -> ContentError:
        return ContentError(self.path, line, problem)

    def mapping(self, node: _Node, what: str) -> dict[str, _Node]:
        if not isinstance(node.value, dict):
            raise self.fail(node.line, f"{what} must be a set of 'name: value' lines")
        return node.value

    def text(
        self, fields: dict[str, _Node], name: str, line: int, *, optional: bool = False
    ) -> str:
        node = fields.get(name)
        if node is None:
            if optional:
                return ""
            raise self.fail(line, f"'{name}' is missing")
        if not isinstance(node.value, str) or not node.value.strip():
            raise self.fail(node.line, f"'{name}' must be some words")
        return node.value.strip()

    def words(self, fields: dict[str, _Node], name: str) -> tuple[tuple[str, int], ...]:
        node = fields.get(name)
        if node is None:
            return ()
        if not isinstance(node.value, list):
            raise self.fail(node.line, f"'{name}' must be a list")
        items = []
        for item in node.value:
            if not isinstance(item.value, str) or not item.value:
                raise self.fail(item.line, f"each item of '{name}' must be a name")
            items.append((item.value, item.line))
        return tuple(items)

    def unknown(self, fields: dict[str, _Node], allowed: set[str], what: str) -> None:
        for name, node in fields.items():
            if name not in allowed:
                raise self.fail(node.line, f"'{name}' is not a field of {what}")


LESSON_FIELDS = {
    "title",
    "skill",
    "position",
    "summary",
    "problems",
    "breaker_rules",
    "glossary",
    "interactive",
    "quiz",
}
QUESTION_FIELDS = {"id", "question", "choices", "answer", "feedback", "explanation"}


def split_front_matter(path: Path, text: str) -> tuple[str, int, str, int]:
    """(front matter, its first line, body, the body's first line) of a lesson file."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "a lesson starts with a line '---' and its front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, 2, body, index + 2
    raise ContentError(path, 1, "the front matter has no closing '---' line")


def _question(reader: _Reader, node: _Node, seen: set[str]) -> Question:
    fields = reader.mapping(node, "a question")
    reader.unknown(fields, QUESTION_FIELDS, "a question")
    question_id = reader.text(fields, "id", node.line)
    if not SLUG.match(question_id) or question_id in seen:
        raise reader.fail(fields["id"].line, f"question id '{question_id}' is not a new slug")
    seen.add(question_id)
    text = reader.text(fields, "question", node.line)
    choices_node = fields.get("choices")
    if choices_node is None:
        raise reader.fail(node.line, "'choices' is missing")
    choices_map = reader.mapping(choices_node, "'choices'")
    if len(choices_map) < 2:
        raise reader.fail(choices_node.line, "a question needs at least two choices")
    choices = tuple(Choice(key, reader.text(choices_map, key, 0)) for key in choices_map)
    answer = reader.text(fields, "answer", node.line)
    if answer not in choices_map:
        raise reader.fail(fields["answer"].line, f"the answer '{answer}' is not one of the choices")
    feedback_node = fields.get("feedback")
    if feedback_node is None:
        raise reader.fail(node.line, "'feedback' is missing: say why each wrong choice is wrong")
    feedback_map = reader.mapping(feedback_node, "'feedback'")
    wrong = set(choices_map) - {answer}
    for key in sorted(wrong - set(feedback_map)):
        raise reader.fail(feedback_node.line, f"wrong choice '{key}' has no feedback")
    for key in sorted(set(feedback_map) - wrong):
        raise reader.fail(feedback_map[key].line, f"feedback '{key}' is not a wrong choice")
    feedback = {key: reader.text(feedback_map, key, 0) for key in sorted(wrong)}
    explanation = reader.text(fields, "explanation", node.line)
    return Question(question_id, text, choices, answer, feedback, explanation)


def _fill(reader: _Reader, text: str, first_line: int, figures: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return figures[match.group(1)]

    for offset, line in enumerate(text.splitlines()):
        for match in PLACEHOLDER.finditer(line):
            if match.group(1) not in FIGURES:
                raise reader.fail(first_line + offset, f"no figure is called '{match.group(1)}'")
    return PLACEHOLDER.sub(replace, text)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def parse_lesson(path: Path, history: History, renderer: MarkdownIt) -> tuple[Lesson, Any]:
    """One lesson, and the lines of its glossary references (checked against the glossary)."""
    reader = _Reader(path)
    text = path.read_text(encoding="utf-8")
    front, front_line, body, body_line = split_front_matter(path, text)
    root = _compose(path, front, front_line)
    fields = reader.mapping(root, "the front matter")
    reader.unknown(fields, LESSON_FIELDS, "a lesson")
    slug = path.stem
    if not SLUG.match(slug):
        raise reader.fail(1, f"the file name '{slug}' must be lowercase words joined by '-'")
    title = reader.text(fields, "title", root.line)
    skill = reader.text(fields, "skill", root.line)
    position_node = fields.get("position")
    if position_node is None or not isinstance(position_node.value, int):
        raise reader.fail(
            position_node.line if position_node else root.line, "'position' must be a whole number"
        )
    quiz_node = fields.get("quiz")
    if quiz_node is None or not isinstance(quiz_node.value, list):
        raise reader.fail(
            quiz_node.line if quiz_node else root.line, "'quiz' must be a list of questions"
        )
    if len(quiz_node.value) < MIN_QUESTIONS:
        raise reader.fail(quiz_node.line, f"a quiz needs at least {MIN_QUESTIONS} questions")
    seen: set[str] = set()
    quiz = tuple(_question(reader, item, seen) for item in quiz_node.value)
    interactive = reader.text(fields, "interactive", root.line, optional=True) or None
    if interactive is not None and interactive not in INTERACTIVE:
        raise reader.fail(fields["interactive"].line, f"no live piece is called '{interactive}'")
    if not body.strip():
        raise reader.fail(body_line, "the lesson has no words after its front matter")
    # Placeholders may sit in the body and in the quiz; check where, then compute them once.
    for offset, line in enumerate(front.splitlines()):
        for name in placeholders(line):
            if name not in FIGURES:
                raise reader.fail(front_line + offset, f"no figure is called '{name}'")
    names = placeholders(body) | placeholders(front)
    figures = {name: FIGURES[name](history) for name in sorted(names & set(FIGURES))}
    markdown = _fill(reader, body, body_line, figures).strip() + "\n"
    quiz = tuple(_filled_question(q, figures) for q in quiz)
    lesson = Lesson(
        slug=slug,
        title=title,
        skill=skill,
        position=position_node.value,
        summary=PLACEHOLDER.sub(
            lambda m: figures[m.group(1)], reader.text(fields, "summary", root.line)
        ),
        markdown=markdown,
        html=renderer.render(markdown),
        quiz=quiz,
        problems=tuple(name for name, _ in reader.words(fields, "problems")),
        breaker_rules=tuple(name for name, _ in reader.words(fields, "breaker_rules")),
        glossary=tuple(name for name, _ in reader.words(fields, "glossary")),
        interactive=interactive,
        figures=figures,
        source=str(path),
    )
    return lesson, reader.words(fields, "glossary")


def _filled_question(question: Question, figures: dict[str, str]) -> Question:
    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: figures[m.group(1)], text)

    return Question(
        question.id,
        fill(question.text),
        tuple(Choice(c.key, fill(c.text)) for c in question.choices),
        question.answer,
        {key: fill(words) for key, words in question.feedback.items()},
        fill(question.explanation),
    )


GLOSSARY_FIELDS = {"term", "definition", "lesson", "problems"}


def parse_glossary(path: Path) -> dict[str, tuple[GlossaryEntry, int]]:
    """Glossary slug → (entry, its line). The file maps each slug to its term and definition."""
    reader = _Reader(path)
    root = _compose(path, path.read_text(encoding="utf-8"), 1)
    entries: dict[str, tuple[GlossaryEntry, int]] = {}
    for slug, node in reader.mapping(root, "the glossary").items():
        if not SLUG.match(slug):
            raise reader.fail(
                node.line, f"the entry '{slug}' must be lowercase words joined by '-'"
            )
        fields = reader.mapping(node, f"the entry '{slug}'")
        reader.unknown(fields, GLOSSARY_FIELDS, "a glossary entry")
        entry = GlossaryEntry(
            slug=slug,
            term=reader.text(fields, "term", node.line),
            definition=reader.text(fields, "definition", node.line),
            lesson=reader.text(fields, "lesson", node.line, optional=True) or None,
            problems=tuple(name for name, _ in reader.words(fields, "problems")),
        )
        entries[slug] = (entry, node.line)
    return entries


def _lesson_files(directory: Path) -> Iterator[Path]:
    yield from sorted(directory.glob("*.md"))


def load_library(content_dir: Path, history: History) -> Library:
    """Every lesson under `content_dir/lessons` and the glossary `content_dir/glossary.yaml`,
    checked against each other (a lesson's glossary terms exist, a glossary entry's lesson
    exists, no problem code or breaker rule is explained by two lessons)."""
    cached = cache(history)
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    glossary_path = content_dir / "glossary.yaml"
    glossary = parse_glossary(glossary_path)
    lessons: list[Lesson] = []
    claimed: dict[str, str] = {}
    for path in _lesson_files(content_dir / "lessons"):
        lesson, terms = parse_lesson(path, cached, renderer)
        for term, line in terms:
            if term not in glossary:
                raise ContentError(path, line, f"the glossary has no entry '{term}'")
        for name in lesson.problems + lesson.breaker_rules:
            if name in claimed:
                raise ContentError(path, 1, f"'{name}' is already explained by {claimed[name]}")
            claimed[name] = lesson.slug
        lessons.append(lesson)
    if not lessons:
        raise ContentError(content_dir / "lessons", 1, "there are no lessons")
    slugs = {lesson.slug for lesson in lessons}
    for entry, line in glossary.values():
        if entry.lesson is not None and entry.lesson not in slugs:
            raise ContentError(glossary_path, line, f"there is no lesson '{entry.lesson}'")
    lessons.sort(key=lambda lesson: (lesson.position, lesson.slug))
    return Library(tuple(lessons), {slug: entry for slug, (entry, _) in glossary.items()})
