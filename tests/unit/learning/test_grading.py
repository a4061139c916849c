"""Grading is deterministic and refuses what the quiz does not have; mastery levels; review days."""

from __future__ import annotations

import pytest

from keel.learning import Choice, Lesson, Mastery, Question, grade, mastery_level, next_review_day
from keel.learning.grading import UnknownChoice, UnknownQuestion
from keel.learning.review import reviews_done_by


def _lesson() -> Lesson:
    quiz = tuple(
        Question(
            f"q{n}",
            "Which?",
            (Choice("a", "A"), Choice("b", "B"), Choice("c", "C")),
            "b",
            {"a": "Not a.", "c": "Not c."},
            "B it is.",
        )
        for n in range(4)
    )
    return Lesson("l", "L", "s", 1, "", "", "", quiz)


def test_the_same_answers_always_give_the_same_results() -> None:
    answers = {"q0": "b", "q1": "a", "q3": "c"}
    first = grade(_lesson(), answers)
    assert first == grade(_lesson(), dict(reversed(answers.items())))
    assert [(r.question_id, r.correct, r.feedback) for r in first] == [
        ("q0", True, None),
        ("q1", False, "Not a."),
        ("q3", False, "Not c."),
    ]


def test_unknown_questions_and_choices_are_refused() -> None:
    with pytest.raises(UnknownQuestion):
        grade(_lesson(), {"q9": "a"})
    with pytest.raises(UnknownChoice):
        grade(_lesson(), {"q0": "z"})


@pytest.mark.parametrize(
    ("right", "total", "answered", "level"),
    [
        (0, 4, 0, Mastery.NOT_STARTED),
        (0, 4, 2, Mastery.ATTEMPTED),
        (2, 3, 3, Mastery.ATTEMPTED),  # 66.7 %
        (7, 10, 10, Mastery.FAMILIAR),  # exactly 70 %
        (3, 4, 4, Mastery.FAMILIAR),
        (99, 100, 100, Mastery.FAMILIAR),
        (4, 4, 4, Mastery.PROFICIENT),
    ],
)
def test_mastery_levels(right: int, total: int, answered: int, level: Mastery) -> None:
    assert mastery_level(right, total, answered) is level


def test_review_days_one_three_seven() -> None:
    assert [next_review_day(10, done) for done in range(4)] == [11, 13, 17, None]
    assert [reviews_done_by(10, today) for today in (10, 11, 12, 13, 16, 17, 30)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]
