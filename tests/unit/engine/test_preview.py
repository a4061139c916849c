"""`preview_placement` meets what `place` meets, all at once, and leaves the engine as it was.

Each case is previewed on one engine and placed on a twin (same account, same quote): the preview's
refusal code is the placed order's rejection code (None when it is accepted), and its accepted
quantity the placed order's.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderStatus, Permission
from keel.domain.gate import GateDecision, GateStage
from keel.engine import ExecutionEngine
from keel.engine.preview import preview_placement
from keel.risk import BreakerBoard, standard_gate
from tests.unit.domain.factories import request

from .factories import ScriptedGate, engine_with_account, tick

D = Decimal
CUT = GateDecision.allow("capped", permission=Permission.CAUTIOUS, reduced_quantity=D("3"))
NOTHING = GateDecision.allow("capped", permission=Permission.RESTRICTED, reduced_quantity=D("0"))
CLOSED = GateDecision.refuse("halted", breaker="market-wide breaker", code="breaker-closed")

# (gate's answer at placement, side, units, cash, codes of every objection, the placed order's code)
CASES = [
    (None, OrderSide.BUY, "10", "100000", [], None),
    (CUT, OrderSide.BUY, "10", "100000", ["order-gate-refused"], None),
    (NOTHING, OrderSide.BUY, "10", "100000", ["order-gate-refused"], "order-gate-refused"),
    (None, OrderSide.BUY, "10", "500", ["insufficient-funds"], "insufficient-funds"),
    (
        CLOSED,
        OrderSide.BUY,
        "10",
        "500",
        ["breaker-closed", "insufficient-funds"],
        "breaker-closed",
    ),
    (None, OrderSide.SELL, "1", "100000", ["insufficient-position"], "insufficient-position"),
]


def _engine(answer: GateDecision | None, cash: str) -> tuple[ExecutionEngine, Account]:
    gate = ScriptedGate({GateStage.PLACEMENT: answer} if answer else {})
    engine, account, clock = engine_with_account(D(cash), gate=gate)
    engine.on_quote(tick(engine, clock, D("100")))
    return engine, account


@pytest.mark.parametrize(("answer", "side", "units", "cash", "codes", "placed_code"), CASES)
def test_preview_meets_what_placement_meets(
    answer: GateDecision | None,
    side: OrderSide,
    units: str,
    cash: str,
    codes: list[str],
    placed_code: str | None,
) -> None:
    engine, account = _engine(answer, cash)
    before = (account.cash, dict(account.reservations), account.fills, engine.orders())
    preview = preview_placement(engine, request(side=side, quantity=D(units)))
    assert [o.code for o in preview.objections] == codes
    assert (account.cash, dict(account.reservations), account.fills, engine.orders()) == before

    twin, _ = _engine(answer, cash)
    placed = twin.place(request(side=side, quantity=D(units))).order
    assert (
        (preview.refusal.code if preview.refusal else None) == placed.rejection_code == placed_code
    )
    if placed.status is OrderStatus.REJECTED:
        assert preview.refusal is not None and preview.refusal.reason == placed.events[-1].reason
    else:
        assert preview.order.quantity == placed.quantity
        assert preview.buying_power_after is not None


def test_cost_is_the_fill_models_estimate_with_commission() -> None:
    engine, account = _engine(None, "100000")
    preview = preview_placement(engine, request(quantity=D("10")))
    assert preview.estimate.price is not None and preview.estimate.price >= D("100.25")
    assert preview.cost == preview.estimate.notional + preview.commission
    assert preview.buying_power_after == account.buying_power - preview.cost


def test_a_real_gate_chain_reports_every_check() -> None:
    engine, _, clock = engine_with_account(
        D("500"), gate=standard_gate(BreakerBoard()), is_minor=True
    )
    engine.on_quote(tick(engine, clock, D("100")))
    preview = preview_placement(engine, request(quantity=D("10")), needs_approval=True)
    assert [o.code for o in preview.objections] == ["guardian-required", "insufficient-funds"]
    assert preview.refusal is not None and preview.refusal.code == "guardian-required"
