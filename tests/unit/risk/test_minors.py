"""Minors' rules of the order gate (`keel.risk.minors`), one row per case: who, what, when, verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType
from keel.domain.fills import Fill
from keel.domain.gate import GateContext, GateStage
from keel.domain.guardians import GuardianLimits
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.risk.minors import MinorRulesCheck

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)
D = Decimal
PRICE = D("100")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
PLACE, APPROVE, TRIGGER = GateStage.PLACEMENT, GateStage.APPROVAL, GateStage.TRIGGER
NONE = GuardianLimits()
CAP = GuardianLimits(max_order_notional=D("500"))
PAUSED = GuardianLimits(trading_paused=True)


def minor_account(limits: GuardianLimits | None, *, is_minor: bool = True) -> Account:
    """Cash 10,000 and 5 units of SPX at 100."""
    acct = Account.open(
        "m", D("10000"), time=T0 - timedelta(days=1), is_minor=is_minor, guardian_limits=limits
    )
    acct.apply_fill(Fill("f0", "o0", "m", "SPX", BUY, D("5"), PRICE, D(0), T0))
    return acct


def judge(acct: Account, side: OrderSide, units: str, stage: GateStage) -> tuple[bool, str | None]:
    request = OrderRequest("m", "SPX", side, OrderType.MARKET, quantity=D(units))
    order = Order.draft(request, order_id="o1", time=T0)
    context = GateContext(
        stage=stage,
        time=T0,
        account=acct,
        quote=None,
        reference_price=PRICE,
        estimated_notional=D(units) * PRICE,
        reduces_exposure=side is SELL and D(units) <= 5,
    )
    decision = MinorRulesCheck().check(order, context)
    return decision.allowed, None if decision.allowed else decision.code


# (guardian limits (None: no guardian linked), side, units, stage, expected code or None)
CASES = [
    (NONE, BUY, "4", PLACE, None),
    (None, BUY, "1", PLACE, "guardian-required"),
    (PAUSED, BUY, "1", PLACE, "trading-paused"),
    (PAUSED, SELL, "1", PLACE, "trading-paused"),
    (PAUSED, BUY, "1", APPROVE, None),  # the guardian's own approval is their decision
    (NONE, SELL, "5", PLACE, None),
    (NONE, SELL, "6", PLACE, "minor-no-short"),
    (NONE, SELL, "6", TRIGGER, "minor-no-short"),
    (CAP, BUY, "5", PLACE, None),  # 500 is the cap itself
    (CAP, BUY, "6", PLACE, "guardian-order-limit"),
    (CAP, BUY, "6", APPROVE, "guardian-order-limit"),  # prices moved while it waited
    (CAP, BUY, "6", TRIGGER, None),  # approved orders are not judged again on the cap
]


@pytest.mark.parametrize(("limits", "side", "units", "stage", "code"), CASES)
def test_minor_rules(
    limits: GuardianLimits | None,
    side: OrderSide,
    units: str,
    stage: GateStage,
    code: str | None,
) -> None:
    allowed, got = judge(minor_account(limits), side, units, stage)
    assert (allowed, got) == (code is None, code)


def test_an_adult_account_passes_every_minor_rule() -> None:
    adult = minor_account(None, is_minor=False)
    assert judge(adult, SELL, "50", PLACE) == (True, None)
    assert judge(adult, BUY, "1", PLACE) == (True, None)


def test_refusals_are_in_plain_words() -> None:
    acct = minor_account(CAP)
    request = OrderRequest("m", "SPX", BUY, OrderType.MARKET, quantity=D("6"))
    order = Order.draft(request, order_id="o1", time=T0)
    context = GateContext(PLACE, T0, acct, None, PRICE, D("600"), False)
    reason = MinorRulesCheck().check(order, context).reason
    assert "600.00" in reason and "500.00" in reason and "guardian" in reason
