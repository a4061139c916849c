"""The order gate: breaker levels, the CAUTIOUS cap, buying power, position limit, minors' rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType, Permission, Regime
from keel.domain.fills import Fill
from keel.domain.gate import GateContext, GateStage
from keel.domain.guardians import GuardianLimits
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.risk.board import BreakerBoard
from keel.risk.gate import BreakerCheck, CautiousAction, standard_gate
from keel.risk.transitions import Demand

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)
D = Decimal
PRICE = D("1000")


def account(units: str = "0", *, is_minor: bool = False, cash: str = "100000") -> Account:
    acct = Account.open("a", D(cash), time=T0 - timedelta(days=1), is_minor=is_minor)
    qty = D(units)
    if qty > 0:
        acct.apply_fill(Fill("f0", "o0", "a", "SPX", OrderSide.BUY, qty, PRICE, D(0), T0))
    return acct


def order(side: OrderSide, units: str, order_id: str = "o1") -> Order:
    request = OrderRequest("a", "SPX", side, OrderType.MARKET, quantity=D(units))
    return Order.draft(request, order_id=order_id, time=T0)


def context(acct: Account, o: Order) -> GateContext:
    held = acct.position(o.symbol).quantity
    units = o.quantity or D(0)
    reduces = units <= held if o.side is OrderSide.SELL else units <= -held
    return GateContext(
        stage=GateStage.PLACEMENT,
        time=T0,
        account=acct,
        quote=None,
        reference_price=PRICE,
        estimated_notional=units * PRICE,
        reduces_exposure=reduces and units > 0,
    )


def board_at(level: Permission) -> BreakerBoard:
    board = BreakerBoard()
    if level is Permission.CLOSED:
        opens_at = T0 - timedelta(hours=1)
        board.market.start_session(1000.0, opens_at, opens_at + timedelta(hours=6, minutes=30))
        board.market.on_index_price(925.0, T0)
    elif level is Permission.RESTRICTED:
        board.symbol("SPX").observe_regime(Regime.EXTREME, T0, {"ewma_vol": 0.79})
    elif level is Permission.CAUTIOUS:
        board.symbol("SPX").observe_regime(Regime.HIGH, T0, {"ewma_vol": 0.31})
    return board


# (level, held units, side, units, allowed, reduced to, code)
CASES = [
    (Permission.OPEN, "0", OrderSide.BUY, "50", True, None, None),
    (Permission.CLOSED, "10", OrderSide.BUY, "1", False, None, "breaker-closed"),
    (Permission.CLOSED, "10", OrderSide.SELL, "5", False, None, "breaker-closed"),
    # RESTRICTED: a position may be worth 10 % of the normal size, 0.1 × 100,000 = 10 units.
    (Permission.RESTRICTED, "0", OrderSide.BUY, "5", True, None, None),
    (Permission.RESTRICTED, "0", OrderSide.BUY, "80", True, "10", None),
    (Permission.RESTRICTED, "4", OrderSide.BUY, "20", True, "6", None),
    (Permission.RESTRICTED, "10", OrderSide.BUY, "1", False, None, "breaker-restricted"),
    (Permission.RESTRICTED, "10", OrderSide.SELL, "5", True, None, None),
    (Permission.RESTRICTED, "10", OrderSide.SELL, "10", True, None, None),
    # Selling more than held goes short: new exposure, within the cap for 10 more units.
    (Permission.RESTRICTED, "10", OrderSide.SELL, "11", True, None, None),
    (Permission.RESTRICTED, "10", OrderSide.SELL, "40", True, "20", None),
    # CAUTIOUS at HIGH: a position may be worth 0.5 × equity (100,000) = 50 units at 1,000.
    (Permission.CAUTIOUS, "0", OrderSide.BUY, "40", True, None, None),
    (Permission.CAUTIOUS, "0", OrderSide.BUY, "80", True, "50", None),
    (Permission.CAUTIOUS, "30", OrderSide.BUY, "40", True, "20", None),
    (Permission.CAUTIOUS, "60", OrderSide.BUY, "1", False, None, "breaker-cautious-cap"),
    (Permission.CAUTIOUS, "60", OrderSide.SELL, "20", True, None, None),
]


@pytest.mark.parametrize(("level", "held", "side", "units", "allowed", "reduced", "code"), CASES)
def test_breaker_levels(
    level: Permission,
    held: str,
    side: OrderSide,
    units: str,
    allowed: bool,
    reduced: str | None,
    code: str | None,
) -> None:
    board = board_at(level)
    acct = account(held)
    o = order(side, units)
    decision = standard_gate(board).check(o, context(acct, o))
    assert decision.allowed is allowed, decision.reason
    assert decision.reduced_quantity == (D(reduced) if reduced else None)
    if not allowed:
        assert decision.code == code
        assert decision.breaker is not None and decision.breaker in decision.reason
        assert decision.permission is level


def test_a_closed_market_names_the_breaker_the_reason_and_when_it_reopens() -> None:
    acct = account()
    o = order(OrderSide.BUY, "1")
    decision = standard_gate(board_at(Permission.CLOSED)).check(o, context(acct, o))
    assert decision.breaker == "market-wide breaker"
    assert "SPX (the S&P 500 index)" in decision.reason
    assert "fell 7.5% below its previous closing price" in decision.reason
    assert decision.reopen_at == T0 + timedelta(minutes=15)
    assert "2008-10-15 10:15 New York time (14:15 UTC)" in decision.reason
    # The numbers sit in their own object, machine-readable.
    assert decision.figures is not None
    assert decision.figures["fall"] == 0.075 and decision.figures["prior_close"] == 1000.0


def test_cautious_can_reject_instead_of_reducing() -> None:
    gate = BreakerCheck(board_at(Permission.CAUTIOUS), cautious_action=CautiousAction.REJECT)
    acct = account()
    o = order(OrderSide.BUY, "80")
    decision = gate.check(o, context(acct, o))
    assert not decision.allowed and decision.code == "breaker-cautious-cap"


def test_cautious_from_the_account_still_halves_new_exposure_in_a_calm_symbol() -> None:
    board = BreakerBoard()
    board.account("a").machine.observe(
        Demand(Permission.CAUTIOUS, "loss_cooldown", "three losing trades in a row"), T0
    )
    acct = account()
    o = order(OrderSide.BUY, "80")
    decision = standard_gate(board).check(o, context(acct, o))
    assert decision.allowed and decision.reduced_quantity == D("50")
    assert "account breaker a" in decision.reason


def test_buying_power_position_limit_and_minor_rules() -> None:
    board = BreakerBoard()
    acct = account(cash="5000")
    big = order(OrderSide.BUY, "6")
    assert standard_gate(board).check(big, context(acct, big)).code == "insufficient-funds"

    acct = account()
    gate = standard_gate(board, position_limit=D("20000"))
    assert gate.check(big, context(acct, big)).allowed
    bigger = order(OrderSide.BUY, "21")
    assert gate.check(bigger, context(acct, bigger)).code == "position-limit"

    minor = account("3", is_minor=True)
    minor.guardian_limits = GuardianLimits(max_order_notional=D("2500"))
    gate = standard_gate(board)
    short = order(OrderSide.SELL, "4")
    assert gate.check(short, context(minor, short)).code == "minor-no-short"
    over = order(OrderSide.BUY, "3")
    refused = gate.check(over, context(minor, over))
    assert refused.code == "guardian-order-limit" and "guardian" in refused.reason
    under = order(OrderSide.BUY, "2")
    assert gate.check(under, context(minor, under)).allowed


def test_a_reduction_flows_on_to_the_buying_power_check() -> None:
    # Equity 60,000 at HIGH: CAUTIOUS cuts 80 units to 30 (30,000), which buying power covers;
    # uncut, the 80,000 order would have been refused for buying power.
    board = board_at(Permission.CAUTIOUS)
    acct = account(cash="60000")
    o = order(OrderSide.BUY, "80")
    decision = standard_gate(board).check(o, context(acct, o))
    assert decision.allowed and decision.reduced_quantity == D("30")
    uncut = standard_gate(BreakerBoard()).check(o, context(acct, o))
    assert uncut.code == "insufficient-funds"


def test_a_cut_at_restricted_says_the_cap_why_and_what_must_change() -> None:
    board = BreakerBoard()
    storm = {"ewma_vol": 0.632, "threshold_extreme": 0.396, "calm_limit": 0.356, "calm_run": 10.0}
    board.symbol("SPX").observe_regime(Regime.EXTREME, T0, {**storm, "calm_count": 2.0})
    acct = account()
    o = order(OrderSide.BUY, "80")
    decision = standard_gate(board).check(o, context(acct, o))
    assert decision.allowed and decision.reduced_quantity == D("10")
    assert decision.permission is Permission.RESTRICTED
    assert (
        "RESTRICTED caps a position in SPX (the S&P 500 index) at 10% of the normal size, "
        "worth 10,000.00 now" in decision.reason
    )
    assert "This eases once SPX's volatility stays under 36% for 10 trading days in a row" in (
        decision.reason
    )
    assert decision.reopen_at is None  # a storm has no known end: no time is promised
    assert decision.figures is not None
    assert decision.figures["allowed_units"] == "10.000000"
    assert decision.figures["size_multiplier"] == "0.10" and decision.figures["ewma_vol"] == 0.632


# (level, held units, is minor, side, units, codes of every objection, the decision's code)
REVIEWS = [
    (Permission.OPEN, "0", False, OrderSide.BUY, "50", [], None),
    (
        Permission.CLOSED,
        "0",
        False,
        OrderSide.BUY,
        "500",
        ["breaker-closed", "insufficient-funds"],
        "breaker-closed",
    ),
    (
        Permission.CLOSED,
        "0",
        True,
        OrderSide.SELL,
        "5",
        ["breaker-closed", "guardian-required"],
        "breaker-closed",
    ),
    (
        Permission.OPEN,
        "0",
        True,
        OrderSide.BUY,
        "500",
        ["guardian-required", "insufficient-funds"],
        "guardian-required",
    ),
    (Permission.RESTRICTED, "0", False, OrderSide.BUY, "500", ["breaker-restricted"], None),
]


@pytest.mark.parametrize(("level", "held", "minor", "side", "units", "codes", "first"), REVIEWS)
def test_review_gives_every_verdict_and_the_decision_check_gives(
    level: Permission,
    held: str,
    minor: bool,
    side: OrderSide,
    units: str,
    codes: list[str],
    first: str | None,
) -> None:
    acct, gate = account(held, is_minor=minor), standard_gate(board_at(level))
    o = order(side, units)
    review = gate.review(o, context(acct, o))
    decision = gate.check(o, context(acct, o))
    assert review.decision == decision
    assert len(review.verdicts) == len(gate.checks)
    objections = [v for v in review.verdicts if not v.allowed or v.reduced_quantity is not None]
    assert [v.code for v in objections] == codes
    assert (None if decision.allowed else decision.code) == first
