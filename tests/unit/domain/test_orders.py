"""Order lifecycle: legal moves recorded as events, illegal ones refused; fills move the status."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from keel.domain.enums import OrderSide, OrderStatus
from keel.domain.errors import IllegalTransition, InvalidFill, OrderNotCancellable
from keel.domain.orders import ALLOWED_TRANSITIONS, Order, can_transition

from .factories import T0, accepted_order, fill, request, spx_closes

S = OrderStatus
LEGAL = [
    (S.PENDING_APPROVAL, S.ACCEPTED),
    (S.PENDING_APPROVAL, S.REJECTED),
    (S.PENDING_APPROVAL, S.CANCELLED),
    (S.PENDING_APPROVAL, S.EXPIRED),
    (S.ACCEPTED, S.PARTIALLY_FILLED),
    (S.ACCEPTED, S.FILLED),
    (S.ACCEPTED, S.CANCELLED),
    (S.ACCEPTED, S.REJECTED),
    (S.ACCEPTED, S.EXPIRED),
    (S.PARTIALLY_FILLED, S.PARTIALLY_FILLED),
    (S.PARTIALLY_FILLED, S.FILLED),
    (S.PARTIALLY_FILLED, S.CANCELLED),
    (S.PARTIALLY_FILLED, S.EXPIRED),
]


def order_in(status: OrderStatus) -> Order:
    """An order brought to `status` through legal moves only."""
    order = Order.draft(request(), order_id="O1", time=T0)
    if status is S.PENDING_APPROVAL:
        order.place(time=T0, needs_approval=True)
        return order
    order.place(time=T0, needs_approval=False)
    if status is S.PARTIALLY_FILLED:
        order.transition(S.PARTIALLY_FILLED, time=T0, reason="test")
    elif status is not S.ACCEPTED:
        order.transition(status, time=T0, reason="test", code="x")
    return order


@pytest.mark.parametrize(("start", "end"), [(a, b) for a in S for b in S])
def test_transition_table(start: OrderStatus, end: OrderStatus) -> None:
    order = order_in(start)
    before = len(order.events)
    if (start, end) in LEGAL:
        event = order.transition(end, time=T0 + timedelta(seconds=1), reason="why")
        assert order.status is end
        assert (event.from_status, event.to_status, event.reason) == (start, end, "why")
        assert len(order.events) == before + 1
    else:
        with pytest.raises(IllegalTransition):
            order.transition(end, time=T0, reason="not allowed")
        assert order.status is start
        assert len(order.events) == before


def test_table_matches_the_published_rules() -> None:
    published = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert published == set(LEGAL)
    assert {s for s in S if can_transition(None, s)} == {S.PENDING_APPROVAL, S.ACCEPTED, S.REJECTED}


@pytest.mark.parametrize("terminal", [S.FILLED, S.CANCELLED, S.REJECTED, S.EXPIRED])
def test_terminal_orders_cannot_be_cancelled(terminal: OrderStatus) -> None:
    order = order_in(terminal)
    with pytest.raises(OrderNotCancellable) as caught:
        order.cancel(time=T0)
    assert caught.value.code == "order-not-cancellable"


def test_placement_is_the_first_event_and_rejection_keeps_its_code() -> None:
    order = Order.draft(request(), order_id="O1", time=T0)
    assert not order.is_placed
    order.reject(time=T0, reason="market closed", code="order-gate-refused")
    assert order.events[0].from_status is None
    assert order.status is S.REJECTED
    assert order.rejection_code == "order-gate-refused"


def test_quantity_order_fills_partially_then_fully() -> None:
    price = spx_closes()[2400]
    order = accepted_order(quantity=Decimal("3"))
    order.apply_fill(fill(order, Decimal("1"), price, number=1))
    assert order.status is S.PARTIALLY_FILLED
    assert order.remaining_quantity == Decimal("2")
    second = spx_closes()[2401]
    order.apply_fill(fill(order, Decimal("2"), second, number=2))
    assert order.status is S.FILLED
    assert order.filled_quantity == Decimal("3")
    assert order.filled_notional == price + 2 * second
    assert order.average_fill_price == ((price + 2 * second) / 3).quantize(Decimal("1e-8"))


def test_overfill_and_foreign_fills_are_refused() -> None:
    order = accepted_order(quantity=Decimal("1"))
    with pytest.raises(InvalidFill):
        order.apply_fill(fill(order, Decimal("2"), Decimal("100")))
    other = accepted_order("O2", side=OrderSide.SELL)
    with pytest.raises(InvalidFill):
        order.apply_fill(fill(other, Decimal("1"), Decimal("100")))
    assert order.filled_quantity == 0


def test_notional_order_is_filled_once_less_than_a_step_is_left() -> None:
    price = spx_closes()[0]
    order = accepted_order(notional=Decimal("25.00"))
    wanted = order.quantity_wanted_at(price)
    assert wanted * price <= Decimal("25.00") < (wanted + Decimal("0.000001")) * price
    order.apply_fill(fill(order, wanted, price))
    assert order.status is S.FILLED


def test_notes_keep_the_status() -> None:
    order = accepted_order()
    event = order.note(time=T0, reason="size cut by the gate")
    assert (event.from_status, event.to_status) == (S.ACCEPTED, S.ACCEPTED)
    assert order.status is S.ACCEPTED
