"""Spaced review: a question answered on trading day d comes back on days d+1, d+3 and d+7.

Days are positions in the scenario's own trading calendar (its market time, never the wall
clock), counted from the day the question was first answered; each review answered moves the
question to the next of those days, and after the third it is done.
"""

from __future__ import annotations

REVIEW_DAYS: tuple[int, ...] = (1, 3, 7)
"""Trading days after the first answer on which a question comes back."""


def next_review_day(first_day: int, reviews_done: int) -> int | None:
    """The trading-day index on which the question is next due, or None when it is done."""
    if reviews_done >= len(REVIEW_DAYS):
        return None
    return first_day + REVIEW_DAYS[reviews_done]


def reviews_done_by(first_day: int, today: int) -> int:
    """How many review days have been reached on `today` (used when a review is answered late:
    it counts for the latest day reached, so a learner never owes a backlog of the same question)."""
    return sum(1 for offset in REVIEW_DAYS if first_day + offset <= today)
