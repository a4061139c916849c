"""A cut says, in plain words, what was asked, what was accepted and why (`amend_to_decision`)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from keel.domain.enums import Permission
from keel.domain.gate import GateDecision
from keel.domain.orders import Order
from keel.engine.sizing import amend_to_decision
from tests.unit.domain.factories import T0, request

WHY = {
    Permission.CAUTIOUS: "allow only smaller new positions in SPX (the S&P 500 index) right now",
    Permission.RESTRICTED: "allow only small new positions in SPX (the S&P 500 index) right now",
    Permission.OPEN: "A safety rule limits how big an order in SPX (the S&P 500 index) may be",
}


@pytest.mark.parametrize("permission", list(WHY))
def test_a_quantity_cut_in_words_and_figures(permission: Permission) -> None:
    order = Order.draft(request(quantity=D("2000")), order_id="O1", time=T0)
    decision = GateDecision.allow(
        "the gate's words",
        permission=permission,
        reduced_quantity=D("1229.197804"),
        figures={"size_multiplier": 0.5},
    )
    note = amend_to_decision(order, decision, D("40.68"), time=T0)
    assert order.quantity == D("1229.197804") and order.requested_quantity == D("2000")
    assert order.cut is not None and note == order.cut.detail
    assert order.cut.detail.startswith(
        "Your order was made smaller: you asked to buy 2,000 SPX (the S&P 500 index), and "
        "1,229.197804 of them were accepted."
    )
    assert WHY[permission] in order.cut.detail
    assert order.cut.reason == "the gate's words"
    assert order.cut.figures == {
        "size_multiplier": 0.5,
        "requested_quantity": D("2000"),
        "accepted_quantity": D("1229.197804"),
        "price": D("40.68"),
    }


def test_a_notional_cut_is_in_money() -> None:
    order = Order.draft(request(quantity=None, notional=D("25000")), order_id="O1", time=T0)
    decision = GateDecision.allow(permission=Permission.CAUTIOUS, max_notional=D("12000"))
    amend_to_decision(order, decision, D("100"), time=T0)
    assert order.notional == D("12000.00") and order.requested_notional == D("25000")
    assert order.cut is not None
    assert "you asked to buy 25,000.00 worth of SPX" in order.cut.detail
    assert "12,000.00 worth was accepted" in order.cut.detail


def test_no_cut_when_the_order_fits() -> None:
    order = Order.draft(request(quantity=D("5")), order_id="O1", time=T0)
    decision = GateDecision.allow(reduced_quantity=D("10"))
    assert amend_to_decision(order, decision, D("100"), time=T0) is None
    assert order.cut is None and order.quantity == D("5")
