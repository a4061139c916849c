"""What the lessons and the glossary are, once loaded and checked (see docs/learning.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a learner may pick: `key` (a, b, c…) and its words."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question. `answer` is the key of the right choice; `feedback` says, for each wrong
    choice, why it is wrong; `explanation` is shown after any answer. Never sent before grading."""

    id: str
    text: str
    choices: tuple[Choice, ...]
    answer: str
    feedback: Mapping[str, str]
    explanation: str

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(choice.key for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson: its words (Markdown with every figure filled in), its quiz, and what it explains.

    `skill` is what mastery is measured on (several lessons may share one); `problems` and
    `breaker_rules` are the refusals and breaker rules it explains (its teachable moments);
    `interactive` names a live piece the server adds from the platform's own data.
    """

    slug: str
    title: str
    skill: str
    position: int
    summary: str
    markdown: str
    html: str
    quiz: tuple[Question, ...]
    problems: tuple[str, ...] = ()
    breaker_rules: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    interactive: str | None = None
    figures: Mapping[str, str] = field(default_factory=dict)
    """The market figures the lesson quotes, by name, as shown."""
    source: str = ""
    """The file it was read from."""

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.quiz if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A word the app uses, explained in one or two plain sentences."""

    slug: str
    term: str
    definition: str
    lesson: str | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Library:
    """Every lesson (in order) and every glossary entry (by slug)."""

    lessons: tuple[Lesson, ...]
    glossary: Mapping[str, GlossaryEntry]

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def skills(self) -> dict[str, tuple[Lesson, ...]]:
        """Skill → the lessons that teach it, in lesson order."""
        found: dict[str, list[Lesson]] = {}
        for lesson in self.lessons:
            found.setdefault(lesson.skill, []).append(lesson)
        return {skill: tuple(lessons) for skill, lessons in found.items()}

    def lesson_for_problem(self, code: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if code in lesson.problems), None)

    def lesson_for_rule(self, rule: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if rule in lesson.breaker_rules), None)

    def glossary_for_problem(self, code: str) -> GlossaryEntry | None:
        return next((entry for entry in self.glossary.values() if code in entry.problems), None)
