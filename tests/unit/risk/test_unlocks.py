"""Lesson locks in the order gate, as a table: which orders use which locked feature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType
from keel.domain.fills import Fill
from keel.domain.gate import GateContext, GateStage
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.domain.unlocks import Feature, LessonLock
from keel.risk.unlocks import LessonLockCheck

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)
D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL
STOPS = LessonLock(Feature.STOP_ORDERS, "order-types", "Order types")
LIMITS = LessonLock(Feature.LIMIT_ORDERS, "order-types", "Order types")
SHORTS = LessonLock(Feature.SHORT_SELLING, "risk-and-return", "Risk and return")


def judge(
    locks: list[LessonLock],
    side: OrderSide,
    kind: OrderType,
    units: str,
    stage: GateStage = GateStage.PLACEMENT,
) -> str | None:
    """The lesson a 5-unit SPX holder is sent to, or None when the order passes."""
    acct = Account.open("a", D("10000"), time=T0 - timedelta(days=1))
    acct.lesson_locks = {lock.feature: lock for lock in locks}
    acct.apply_fill(Fill("f0", "o0", "a", "SPX", BUY, D("5"), D("100"), D(0), T0))
    prices = {
        OrderType.LIMIT: {"limit_price": D("99")},
        OrderType.STOP: {"stop_price": D("90")},
        OrderType.STOP_LIMIT: {"stop_price": D("90"), "limit_price": D("89")},
    }.get(kind, {})
    request = OrderRequest("a", "SPX", side, kind, quantity=D(units), **prices)
    order = Order.draft(request, order_id="o1", time=T0)
    context = GateContext(
        stage=stage,
        time=T0,
        account=acct,
        quote=None,
        reference_price=D("100"),
        estimated_notional=D(units) * 100,
        reduces_exposure=side is SELL and D(units) <= 5,
    )
    decision = LessonLockCheck().check(order, context)
    if decision.allowed:
        return None
    assert decision.code == "lesson-required"
    assert decision.figures["feature"] in {f.value for f in Feature}
    return str(decision.figures["lesson"])


@pytest.mark.parametrize(
    ("locks", "side", "kind", "units", "lesson"),
    [
        ([], SELL, OrderType.STOP, "1", None),
        ([STOPS], BUY, OrderType.MARKET, "1", None),
        ([STOPS], SELL, OrderType.STOP, "1", "order-types"),
        ([STOPS], SELL, OrderType.STOP_LIMIT, "1", "order-types"),
        ([STOPS], BUY, OrderType.LIMIT, "1", None),
        ([LIMITS], BUY, OrderType.LIMIT, "1", "order-types"),
        ([SHORTS], SELL, OrderType.MARKET, "5", None),  # selling what it holds
        ([SHORTS], SELL, OrderType.MARKET, "6", "risk-and-return"),
        ([SHORTS, STOPS], SELL, OrderType.STOP, "6", "order-types"),
    ],
)
def test_lesson_locks(
    locks: list[LessonLock], side: OrderSide, kind: OrderType, units: str, lesson: str | None
) -> None:
    assert judge(locks, side, kind, units) == lesson


def test_an_order_placed_before_a_lock_is_not_judged_again() -> None:
    assert judge([STOPS], SELL, OrderType.STOP, "1", GateStage.TRIGGER) is None
