"""Order requests: what a learner asks for, validated before anything else looks at it.

`OrderRequest.parse` takes loose input (strings from JSON, ints, floats, Decimals) and either returns a
request whose every figure is a positive, finite, bounded `Decimal` on the right grid, or raises
`InvalidOrder` naming the field at fault. Constructing an `OrderRequest` directly runs the same checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from keel.domain.enums import OrderSide, OrderType, TimeInForce
from keel.domain.errors import InvalidOrder
from keel.domain.money import (
    CASH_PLACES,
    PRICE_PLACES,
    QUANTITY_PLACES,
    InvalidAmount,
    has_at_most_places,
    parse_decimal,
)

MAX_ORDER_QUANTITY = Decimal("10000000")
"""Largest quantity one order may ask for, in units (shares, index units, currency units)."""
MAX_ORDER_PRICE = Decimal("10000000")
"""Largest limit or stop price, in the instrument's currency."""
MIN_ORDER_NOTIONAL = Decimal("1.00")
"""Smallest notional order, in cash: below it the quantity grid would round most prices to nothing."""
MAX_ORDER_NOTIONAL = Decimal("100000000")
"""Largest notional order, in cash."""
MAX_CLIENT_ORDER_ID_LENGTH = 64

SYMBOL_PATTERN = re.compile(r"^[A-Z][A-Z0-9._-]{0,15}$")
CLIENT_ORDER_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_E = TypeVar("_E", OrderSide, OrderType, TimeInForce)

_NEEDS_LIMIT = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
_NEEDS_STOP = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A validated order request. Exactly one of `quantity` (units) or `notional` (cash) is set."""

    account_id: str
    symbol: str
    side: OrderSide
    type: OrderType
    quantity: Decimal | None = None
    notional: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.DAY
    client_order_id: str | None = None

    def __post_init__(self) -> None:
        _check_request(self)

    @classmethod
    def parse(
        cls,
        *,
        account_id: str,
        symbol: str,
        side: str | OrderSide,
        type: str | OrderType,
        quantity: object = None,
        notional: object = None,
        limit_price: object = None,
        stop_price: object = None,
        time_in_force: str | TimeInForce = TimeInForce.DAY,
        client_order_id: str | None = None,
    ) -> OrderRequest:
        """Build a request from loose input (e.g. JSON), raising `InvalidOrder` on anything wrong."""
        return cls(
            account_id=account_id,
            symbol=symbol.strip().upper() if isinstance(symbol, str) else symbol,
            side=_enum(OrderSide, side, "side"),
            type=_enum(OrderType, type, "type"),
            quantity=_optional_decimal(quantity, "quantity"),
            notional=_optional_decimal(notional, "notional"),
            limit_price=_optional_decimal(limit_price, "limit_price"),
            stop_price=_optional_decimal(stop_price, "stop_price"),
            time_in_force=_enum(TimeInForce, time_in_force, "time_in_force"),
            client_order_id=client_order_id,
        )


def _enum(kind: type[_E], value: object, field: str) -> _E:
    try:
        return kind(value) if isinstance(value, str) else kind(str(value))
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidOrder(f"{field} must be one of {allowed}, got {value!r}", field=field) from exc


def _optional_decimal(value: object, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_decimal(value, field=field)
    except InvalidAmount as exc:
        raise InvalidOrder(str(exc), field=field) from exc


def _check_amount(
    value: Decimal | None, field: str, *, places: Decimal, low: Decimal, high: Decimal
) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidOrder(f"{field} must be a finite number", field=field)
    if value <= 0:
        raise InvalidOrder(f"{field} must be positive, got {value}", field=field)
    if value < low:
        raise InvalidOrder(f"{field} must be at least {low}, got {value}", field=field)
    if value > high:
        raise InvalidOrder(f"{field} must be at most {high}, got {value}", field=field)
    if not has_at_most_places(value, places):
        raise InvalidOrder(
            f"{field} has more precision than {places.normalize()} allows: {value}", field=field
        )


def _check_request(request: OrderRequest) -> None:
    if not isinstance(request.account_id, str) or not request.account_id:
        raise InvalidOrder("account_id is required", field="account_id")
    if not isinstance(request.symbol, str) or not SYMBOL_PATTERN.match(request.symbol):
        raise InvalidOrder(f"symbol is not a valid ticker: {request.symbol!r}", field="symbol")
    if not isinstance(request.side, OrderSide):
        raise InvalidOrder("side must be an OrderSide", field="side")
    if not isinstance(request.type, OrderType):
        raise InvalidOrder("type must be an OrderType", field="type")
    if not isinstance(request.time_in_force, TimeInForce):
        raise InvalidOrder("time_in_force must be a TimeInForce", field="time_in_force")
    if (request.quantity is None) == (request.notional is None):
        raise InvalidOrder("give exactly one of quantity or notional", field="quantity")
    _check_amount(
        request.quantity,
        "quantity",
        places=QUANTITY_PLACES,
        low=QUANTITY_PLACES,
        high=MAX_ORDER_QUANTITY,
    )
    _check_amount(
        request.notional,
        "notional",
        places=CASH_PLACES,
        low=MIN_ORDER_NOTIONAL,
        high=MAX_ORDER_NOTIONAL,
    )
    for field, value, needed_by in (
        ("limit_price", request.limit_price, _NEEDS_LIMIT),
        ("stop_price", request.stop_price, _NEEDS_STOP),
    ):
        if request.type in needed_by and value is None:
            raise InvalidOrder(f"a {request.type.value} order needs {field}", field=field)
        if request.type not in needed_by and value is not None:
            raise InvalidOrder(f"a {request.type.value} order takes no {field}", field=field)
        _check_amount(value, field, places=PRICE_PLACES, low=PRICE_PLACES, high=MAX_ORDER_PRICE)
    client_id = request.client_order_id
    if client_id is not None and (
        not isinstance(client_id, str) or not CLIENT_ORDER_ID_PATTERN.match(client_id)
    ):
        raise InvalidOrder(
            "client_order_id must be 1-64 letters, digits or . _ : -", field="client_order_id"
        )
