"""The fill model, one table row per rule: order type, quote, config → fill or none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from keel.domain.enums import OrderSide, OrderType
from keel.domain.money import QUANTITY_PLACES
from keel.engine import (
    ExecutionConfig,
    fill_price,
    match,
    order_commission,
    quote_from_price,
    slippage_multiplier,
)
from keel.engine.fills import commission_float, fill_price_float
from tests.unit.domain.factories import T0, accepted_order, fill, quote_around, spx_closes

D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MKT, LMT, STP, STL = OrderType.MARKET, OrderType.LIMIT, OrderType.STOP, OrderType.STOP_LIMIT
NO_COSTS = ExecutionConfig()


@dataclass(frozen=True)
class Row:
    name: str
    side: OrderSide
    type: OrderType
    limit: str | None
    stop: str | None
    last: str  # quote is last ± 0.25
    quantity: str
    size: str | None  # size at the touch
    expect_quantity: str | None  # None: no fill
    expect_price: str | None = None


ROWS = [
    Row("market buy pays the ask", BUY, MKT, None, None, "100", "2", None, "2", "100.25"),
    Row("market sell gets the bid", SELL, MKT, None, None, "100", "2", None, "2", "99.75"),
    Row("market buy capped by ask size", BUY, MKT, None, None, "100", "5", "3", "3", "100.25"),
    Row("no size at the touch, no fill", BUY, MKT, None, None, "100", "5", "0", None),
    Row("buy limit below the ask rests", BUY, LMT, "100.10", None, "100", "1", None, None),
    Row("buy limit at the ask fills", BUY, LMT, "100.25", None, "100", "1", None, "1", "100.25"),
    Row("buy limit above fills at ask", BUY, LMT, "105", None, "100", "1", None, "1", "100.25"),
    Row("sell limit above the bid rests", SELL, LMT, "100", None, "100", "1", None, None),
    Row("sell limit below fills at bid", SELL, LMT, "95", None, "100", "1", None, "1", "99.75"),
    Row("buy stop not reached", BUY, STP, None, "101", "100", "1", None, None),
    Row("buy stop reached by last", BUY, STP, None, "100", "100", "1", None, "1", "100.25"),
    Row("buy stop reached by ask", BUY, STP, None, "100.20", "100", "1", None, "1", "100.25"),
    Row("sell stop not reached", SELL, STP, None, "99", "100", "1", None, None),
    Row("sell stop reached by bid", SELL, STP, None, "99.80", "100", "1", None, "1", "99.75"),
    Row("sell stop gaps through", SELL, STP, None, "110", "100", "1", None, "1", "99.75"),
    Row("stop-limit triggers, limit ok", BUY, STL, "101", "100", "100", "1", None, "1", "100.25"),
    Row("stop-limit triggers, limit no", BUY, STL, "100.10", "100", "100", "1", None, None),
    Row("sell stop-limit fills at bid", SELL, STL, "99", "100", "100", "1", None, "1", "99.75"),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_fill_rules(row: Row) -> None:
    order = accepted_order(
        side=row.side,
        type=row.type,
        quantity=D(row.quantity),
        limit_price=D(row.limit) if row.limit else None,
        stop_price=D(row.stop) if row.stop else None,
    )
    quote = quote_around(D(row.last), size=D(row.size) if row.size is not None else None)
    fills = match(order, quote, NO_COSTS)
    if row.expect_quantity is None:
        assert fills == []
        return
    (only,) = fills
    assert only.quantity == D(row.expect_quantity)
    assert only.price == D(row.expect_price or "0")
    assert only.time == quote.time and only.order_id == order.id
    assert order.filled_quantity == 0  # match is pure


@pytest.mark.parametrize("side", [BUY, SELL])
def test_slippage_moves_against_the_trader_but_never_past_the_limit(side: OrderSide) -> None:
    config = ExecutionConfig(slippage_bps=D("10"))
    quote = quote_around(spx_closes()[2440])
    price = fill_price(side, quote, config)
    touch = quote.touch(side)
    assert (price > touch) if side is BUY else (price < touch)
    assert abs(price - touch * slippage_multiplier(side, config)) < D("0.0001")
    limit = touch + D("0.50") if side is BUY else touch - D("0.50")
    order = accepted_order(side=side, type=LMT, limit_price=limit)
    (limited,) = match(order, quote, config)
    assert limited.price == limit  # 10 bp of ~1200 is ~1.2, more than the 0.50 the limit allows


@pytest.mark.parametrize(
    ("per_unit", "bps", "minimum", "fills", "expected"),
    [
        ("0.005", "0", "1.00", [("100", "50")], ["1.00"]),  # minimum applies
        ("0.005", "0", "1.00", [("1000", "50")], ["5.00"]),  # per unit above the minimum
        ("0", "10", "0", [("3", "1000")], ["3.00"]),  # 10 bp of 3,000
        ("0", "1", "0", [("1", "1234.5678")], ["0.13"]),  # 0.1235 rounds up to the cent
        ("0.01", "0", "2.00", [("50", "10"), ("150", "10")], ["2.00", "0.00"]),  # min once
        ("0.01", "0", "2.00", [("150", "10"), ("150", "10")], ["2.00", "1.00"]),
    ],
)
def test_commission_is_per_order_and_charged_fill_by_fill(
    per_unit: str, bps: str, minimum: str, fills: list[tuple[str, str]], expected: list[str]
) -> None:
    config = ExecutionConfig(
        commission_per_unit=D(per_unit), commission_bps=D(bps), commission_minimum=D(minimum)
    )
    total = sum(D(q) for q, _ in fills)
    order = accepted_order(quantity=total)
    charged = []
    for number, (quantity, price) in enumerate(fills, start=1):
        quote = quote_around(D(price) - D("0.25"), size=D(quantity))
        (proposed,) = match(order, quote, config)
        assert proposed.price == D(price)
        order.apply_fill(proposed)
        charged.append(proposed.commission)
        assert proposed.id == f"{order.id}-{number}"
    assert charged == [D(value) for value in expected]
    assert order.commission_paid == order_commission(
        order.filled_quantity, order.filled_notional, config
    )


def test_notional_orders_convert_at_the_fill_price_rounding_down() -> None:
    for close in spx_closes()[::250]:
        order = accepted_order(notional=D("25.00"))
        quote = quote_around(close)
        (proposed,) = match(order, quote, NO_COSTS)
        assert proposed.quantity * proposed.price <= D("25.00")
        assert (proposed.quantity + QUANTITY_PLACES) * proposed.price > D("25.00")


def test_notional_order_capped_by_size_keeps_the_rest_working() -> None:
    order = accepted_order(notional=D("1000.00"))
    (first,) = match(order, quote_around(D("100"), size=D("4")), NO_COSTS)
    assert first.quantity == D("4")
    order.apply_fill(first)
    assert order.remaining_notional == D("1000.00") - D("401.00")
    (second,) = match(order, quote_around(D("100")), NO_COSTS)
    order.apply_fill(second)
    assert order.status.value == "filled"
    assert order.filled_notional <= D("1000.00")


def test_quote_from_price_spreads_evenly_and_the_float_twin_agrees() -> None:
    config = ExecutionConfig(spread_bps=D("4"), slippage_bps=D("1"))
    for close in spx_closes()[::500]:
        quote = quote_from_price("SPX", close, T0, config)
        assert quote.bid < close < quote.ask
        assert quote.ask - quote.bid <= close * D("0.0004") + D("0.0002")
        for side, direction in ((BUY, 1.0), (SELL, -1.0)):
            exact = fill_price(side, quote, config)
            assert fill_price_float(direction, float(close), 0.0004, 0.0001) == float(exact)
    assert commission_float(-3, 1000.0, 0.001) == 3.0


def test_stop_stays_triggered_after_the_price_comes_back() -> None:
    order = accepted_order(side=SELL, type=STP, stop_price=D("99"))
    order.triggered_at = T0
    (after,) = match(order, quote_around(D("100")), NO_COSTS)
    assert after.price == D("99.75")
    assert fill(order, after.quantity, after.price).quantity == D("1")
