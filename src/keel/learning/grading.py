"""Quiz grading (on the server, deterministic) and mastery levels per skill.

Mastery follows Khan Academy's levels: below 70 % of a skill's questions answered right (latest
answer of each) is *attempted*, 70–99 % *familiar*, 100 % *proficient*; a skill with no answer yet
is *not started*. Shares are compared as whole numbers, so no rounding moves a learner up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from keel.domain.errors import DomainError
from keel.learning.content import Lesson

FAMILIAR_PERCENT = 70
PROFICIENT_PERCENT = 100


class Mastery(StrEnum):
    NOT_STARTED = "not_started"
    ATTEMPTED = "attempted"
    FAMILIAR = "familiar"
    PROFICIENT = "proficient"


class UnknownQuestion(DomainError):
    code = "unknown-question"


class UnknownChoice(DomainError):
    code = "unknown-choice"


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One graded answer: what was chosen, whether it was right, and why."""

    question_id: str
    chosen: str
    correct: bool
    answer: str
    feedback: str | None
    """Why the chosen answer is wrong (None when it is right)."""
    explanation: str


def grade(lesson: Lesson, answers: Mapping[str, str]) -> list[QuestionResult]:
    """Grade `answers` (question id → choice key) against `lesson`'s quiz, in the quiz's order.

    Any subset of the questions may be answered (a two-question check answers two); a question
    or choice the lesson does not have is refused, naming it."""
    for question_id in answers:
        if lesson.question(question_id) is None:
            raise UnknownQuestion(
                f"The lesson '{lesson.title}' has no question '{question_id}'. "
                "Answer the questions the lesson shows."
            )
    results = []
    for question in lesson.quiz:
        if question.id not in answers:
            continue
        chosen = answers[question.id]
        if chosen not in question.keys:
            raise UnknownChoice(
                f"Question '{question.id}' has no answer '{chosen}'. "
                f"Pick one of {', '.join(question.keys)}."
            )
        correct = chosen == question.answer
        results.append(
            QuestionResult(
                question.id,
                chosen,
                correct,
                question.answer,
                None if correct else question.feedback[chosen],
                question.explanation,
            )
        )
    return results


def unlocks(right: int, total: int) -> bool:
    """Whether a lesson counts as mastered for unlocking a feature: its quiz passed, that is at
    least *familiar* (70 % of its questions answered right, the latest answer of each)."""
    return total > 0 and right * 100 >= FAMILIAR_PERCENT * total


def mastery_level(right: int, total: int, answered: int) -> Mastery:
    """The level of a skill with `total` questions, `answered` of them answered at least once and
    `right` of those answered right the last time."""
    if answered == 0 or total == 0:
        return Mastery.NOT_STARTED
    if right * 100 >= PROFICIENT_PERCENT * total:
        return Mastery.PROFICIENT
    if right * 100 >= FAMILIAR_PERCENT * total:
        return Mastery.FAMILIAR
    return Mastery.ATTEMPTED
