"""Order request validation: every bad input gives InvalidOrder naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keel.domain.enums import OrderSide, OrderType, TimeInForce
from keel.domain.errors import DomainError, InvalidOrder
from keel.domain.order_requests import OrderRequest

BASE: dict[str, object] = {"account_id": "a1", "symbol": "SPX", "side": "buy", "type": "market"}


def parse(**changes: object) -> OrderRequest:
    fields = {**BASE, "quantity": "1", **changes}
    return OrderRequest.parse(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"quantity": "Infinity"}, "quantity"),
        ({"quantity": float("nan")}, "quantity"),
        ({"quantity": "1e12"}, "quantity"),
        ({"quantity": "0.0000001"}, "quantity"),
        ({"quantity": "1.0000001"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({"notional": "25"}, "quantity"),
        ({"quantity": None, "notional": "0.50"}, "notional"),
        ({"quantity": None, "notional": "25.001"}, "notional"),
        ({"quantity": None, "notional": "1e10"}, "notional"),
        ({"type": "limit"}, "limit_price"),
        ({"type": "limit", "limit_price": "0"}, "limit_price"),
        ({"type": "limit", "limit_price": "100.00001"}, "limit_price"),
        ({"type": "limit", "limit_price": "1e9"}, "limit_price"),
        ({"type": "stop"}, "stop_price"),
        ({"type": "stop_limit", "stop_price": "100"}, "limit_price"),
        ({"type": "stop_limit", "limit_price": "100"}, "stop_price"),
        ({"limit_price": "100"}, "limit_price"),
        ({"stop_price": "100"}, "stop_price"),
        ({"side": "short"}, "side"),
        ({"type": "iceberg"}, "type"),
        ({"time_in_force": "ioc"}, "time_in_force"),
        ({"symbol": ""}, "symbol"),
        ({"symbol": "SP X"}, "symbol"),
        ({"symbol": "A" * 17}, "symbol"),
        ({"account_id": ""}, "account_id"),
        ({"client_order_id": ""}, "client_order_id"),
        ({"client_order_id": "x" * 65}, "client_order_id"),
        ({"client_order_id": "has space"}, "client_order_id"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidOrder) as caught:
        parse(**changes)
    assert caught.value.field == field
    assert caught.value.code == "invalid-order"
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {"quantity": Decimal("1"), "type": OrderType.MARKET}),
        ({"quantity": "0.000001"}, {"quantity": Decimal("0.000001")}),
        ({"quantity": 3}, {"quantity": Decimal("3")}),
        ({"quantity": None, "notional": "25.00"}, {"notional": Decimal("25.00"), "quantity": None}),
        (
            {"type": "limit", "limit_price": "1200.25", "side": "sell"},
            {"limit_price": Decimal("1200.25"), "side": OrderSide.SELL},
        ),
        (
            {"type": "stop_limit", "limit_price": "99", "stop_price": "100"},
            {"stop_price": Decimal("100"), "type": OrderType.STOP_LIMIT},
        ),
        ({"time_in_force": "gtc"}, {"time_in_force": TimeInForce.GTC}),
        ({"symbol": " spx "}, {"symbol": "SPX"}),
        ({"client_order_id": "retry-1:abc"}, {"client_order_id": "retry-1:abc"}),
    ],
)
def test_good_requests_parse_to_exact_decimals(
    changes: dict[str, object], expected: dict[str, object]
) -> None:
    parsed = parse(**changes)
    for name, value in expected.items():
        assert getattr(parsed, name) == value


def test_direct_construction_runs_the_same_checks() -> None:
    with pytest.raises(InvalidOrder):
        OrderRequest(
            account_id="a1",
            symbol="SPX",
            side=OrderSide.BUY,
            type=OrderType.LIMIT,
            quantity=Decimal("1"),
        )
