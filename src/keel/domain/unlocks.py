"""Features a lesson can unlock: an account may require a lesson's mastery before it uses them.

The server works out which of an account's required lessons are not yet mastered and hands the
account those locks (`Account.lesson_locks`); the order gate (`keel.risk.unlocks`) refuses an
order that uses a locked feature, naming the lesson. No database or clock here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Feature(StrEnum):
    """What a lesson can unlock."""

    LIMIT_ORDERS = "limit_orders"
    STOP_ORDERS = "stop_orders"
    """Stop and stop-limit orders."""
    SHORT_SELLING = "short_selling"
    """Selling more than the account holds."""


FEATURE_WORDS: dict[Feature, str] = {
    Feature.LIMIT_ORDERS: "Limit orders",
    Feature.STOP_ORDERS: "Stop orders",
    Feature.SHORT_SELLING: "Selling more than you own (short selling)",
}


@dataclass(frozen=True, slots=True)
class LessonLock:
    """`feature` stays locked until the lesson `lesson` (slug; `title` for people) is mastered."""

    feature: Feature
    lesson: str
    title: str
