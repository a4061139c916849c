"""The order-gate hook: asked at placement, approval and before resting fills; its answers obeyed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from keel.domain.enums import OrderSide, OrderStatus, OrderType, Permission
from keel.domain.gate import GateDecision, GateStage
from tests.unit.domain.factories import T0, request

from .factories import ScriptedGate, engine_with_account, tick

D = Decimal
S = OrderStatus


def test_refusal_at_placement_rejects_with_the_gates_reason() -> None:
    gate = ScriptedGate(
        {GateStage.PLACEMENT: GateDecision.refuse("market halted: SPX fell 7 %", breaker="market")}
    )
    engine, account, clock = engine_with_account(gate=gate)
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(quantity=D("1"))).order
    assert order.status is S.REJECTED
    assert order.rejection_code == "order-gate-refused"
    assert order.events[-1].reason == "market halted: SPX fell 7 %"
    assert account.reservations == {} and account.fills == ()


def test_gate_is_told_the_stage_and_value_of_the_order() -> None:
    gate = ScriptedGate()
    engine, _, clock = engine_with_account(gate=gate)
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(type=OrderType.LIMIT, limit_price=D("99"), quantity=D("2"))).order
    engine.on_quote(tick(engine, clock, D("98")))
    assert gate.asked == [
        (order.id, GateStage.PLACEMENT, D("198.00")),
        (order.id, GateStage.TRIGGER, D("198.00")),
    ]
    assert order.status is S.FILLED


def test_refusal_with_reopen_at_keeps_the_order_resting() -> None:
    reopen = T0 + timedelta(hours=1)
    gate = ScriptedGate(
        {GateStage.TRIGGER: GateDecision.refuse("cooling down", breaker="SPX", reopen_at=reopen)}
    )
    engine, account, clock = engine_with_account(gate=gate)
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(type=OrderType.LIMIT, limit_price=D("99"))).order
    engine.on_quote(tick(engine, clock, D("98")))
    assert order.status is S.ACCEPTED and order.id in engine.book
    gate.answers.clear()
    engine.on_quote(tick(engine, clock, D("98")))
    assert order.status is S.FILLED and account.position("SPX").quantity == D("1")


def test_refusal_without_reopen_rejects_or_cancels_the_rest() -> None:
    gate = ScriptedGate()
    engine, account, clock = engine_with_account(gate=gate)
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(type=OrderType.LIMIT, limit_price=D("99"), quantity=D("3"))).order
    engine.on_quote(tick(engine, clock, D("98"), size=D("1")))
    assert order.status is S.PARTIALLY_FILLED
    gate.answers[GateStage.TRIGGER] = GateDecision.refuse("account lost 5 % today")
    engine.on_quote(tick(engine, clock, D("98")))
    assert order.status is S.CANCELLED
    assert "account lost 5 % today" in order.events[-1].reason
    assert account.reservations == {} and account.position("SPX").quantity == D("1")


def test_allowed_with_a_smaller_size_cuts_the_order() -> None:
    cautious = GateDecision.allow(
        "cautious: new exposure at half size",
        permission=Permission.CAUTIOUS,
        reduced_quantity=D("5"),
    )
    engine, account, clock = engine_with_account(gate=ScriptedGate({GateStage.PLACEMENT: cautious}))
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(quantity=D("10"))).order
    assert order.quantity == D("5") and order.status is S.FILLED
    assert "you asked to buy 10 SPX (the S&P 500 index), and 5 of them" in order.events[0].reason
    assert order.requested_quantity == D("10")
    assert order.cut is not None and order.cut.detail == order.events[0].reason
    assert order.cut.figures["requested_quantity"] == D("10")
    assert order.cut.figures["accepted_quantity"] == D("5")
    assert account.position("SPX").quantity == D("5")


def test_max_notional_caps_a_notional_order() -> None:
    capped = GateDecision.allow("guardian limit", max_notional=D("250"))
    engine, account, clock = engine_with_account(gate=ScriptedGate({GateStage.PLACEMENT: capped}))
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(notional=D("1000.00"))).order
    assert order.status is S.FILLED
    assert order.filled_notional <= D("250")
    assert account.cash >= D("100000.00") - D("250")


def test_approval_passes_the_gate_again() -> None:
    gate = ScriptedGate({GateStage.APPROVAL: GateDecision.refuse("breaker closed meanwhile")})
    engine, account, clock = engine_with_account(gate=gate, is_minor=True)
    engine.on_quote(tick(engine, clock, D("100")))
    order = engine.place(request(quantity=D("1")), needs_approval=True).order
    engine.approve(order.id)
    assert order.status is S.REJECTED
    assert [stage for _, stage, _ in gate.asked] == [GateStage.PLACEMENT, GateStage.APPROVAL]
    assert account.reservations == {}


def test_reduces_exposure_is_reported_for_closing_sells() -> None:
    seen: list[bool] = []

    class Recorder:
        def check(self, order, context):  # type: ignore[no-untyped-def]
            seen.append(context.reduces_exposure)
            return GateDecision.allow()

    engine, _, clock = engine_with_account(gate=Recorder())
    engine.on_quote(tick(engine, clock, D("100")))
    engine.place(request(quantity=D("2")))
    engine.place(request(side=OrderSide.SELL, quantity=D("1")))
    assert seen == [False, True]
