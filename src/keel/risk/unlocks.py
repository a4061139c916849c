"""The order gate's lesson locks: a feature an account has locked behind a lesson is refused until
the lesson is mastered (`keel.domain.unlocks`), with the lesson named so the learner can take it.

Judged at placement only: an order placed while the feature was open keeps its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from keel.domain.enums import OrderSide, OrderType, Permission
from keel.domain.gate import GateContext, GateDecision, GateStage, wanted_units
from keel.domain.orders import Order
from keel.domain.unlocks import FEATURE_WORDS, Feature

LESSON_REQUIRED = "lesson-required"


def features_used(order: Order, context: GateContext) -> list[Feature]:
    """The lockable features `order` uses, judged against its account's holdings."""
    used = []
    if order.type in (OrderType.STOP, OrderType.STOP_LIMIT):
        used.append(Feature.STOP_ORDERS)
    elif order.type is OrderType.LIMIT:
        used.append(Feature.LIMIT_ORDERS)
    if order.side is OrderSide.SELL and not context.reduces_exposure:
        units = wanted_units(order, context)
        if units is None or units > context.account.sellable_quantity(order.symbol):
            used.append(Feature.SHORT_SELLING)
    return used


@dataclass(frozen=True)
class LessonLockCheck:
    """Refuses an order that uses a feature still locked behind a lesson."""

    def check(self, order: Order, context: GateContext) -> GateDecision:
        locks = context.account.lesson_locks
        if not locks or context.stage is not GateStage.PLACEMENT:
            return GateDecision.allow("no lesson locks")
        for feature in features_used(order, context):
            lock = locks.get(feature)
            if lock is not None:
                return GateDecision.refuse(
                    f"{FEATURE_WORDS[feature]} unlock once you know the lesson "
                    f"'{lock.title}': read it and pass its quiz, then send the order again.",
                    permission=Permission.OPEN,
                    code=LESSON_REQUIRED,
                    figures={"feature": feature.value, "lesson": lock.lesson},
                )
        return GateDecision.allow("no locked feature used")
