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
    format_money,
    format_quantity,
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


FIELD_WORDS = {
    "quantity": "quantity",
    "notional": "amount of money (notional)",
    "limit_price": "limit price",
    "stop_price": "stop price",
}
"""How a message names each amount field (the `field` of the error keeps the API's name)."""


def _enum(kind: type[_E], value: object, field: str) -> _E:
    try:
        return kind(value) if isinstance(value, str) else kind(str(value))
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidOrder(
            f"The {field.replace('_', ' ')} must be one of: {allowed} (you sent {value!r}).",
            field=field,
        ) from exc


def _optional_decimal(value: object, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_decimal(value, field=field)
    except InvalidAmount as exc:
        raise InvalidOrder(
            f"The {FIELD_WORDS.get(field, field)} must be a number, like 10 or 2.5.", field=field
        ) from exc


def _shown(value: Decimal, field: str) -> str:
    return format_money(value) if field == "notional" else format_quantity(value)


def _check_amount(
    value: Decimal | None, field: str, *, places: Decimal, low: Decimal, high: Decimal
) -> None:
    if value is None:
        return
    words = FIELD_WORDS.get(field, field)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidOrder(f"The {words} must be a number, like 10 or 2.5.", field=field)
    sent = format_quantity(value)
    if value <= 0:
        raise InvalidOrder(
            f"The {words} must be more than 0 (you sent {sent}).",
            field=field,
            figures={"sent": value},
        )
    if value < low:
        raise InvalidOrder(
            f"The {words} must be at least {_shown(low, field)} (you sent {sent}).",
            field=field,
            figures={"sent": value, "minimum": low},
        )
    if value > high:
        raise InvalidOrder(
            f"The {words} can be at most {_shown(high, field)} (you sent {sent}).",
            field=field,
            figures={"sent": value, "maximum": high},
        )
    if not has_at_most_places(value, places):
        decimals = -places.normalize().as_tuple().exponent  # type: ignore[operator]
        raise InvalidOrder(
            f"The {words} can have at most {decimals} decimal places (you sent {sent}).",
            field=field,
            figures={"sent": value, "decimal_places": decimals},
        )


def _check_request(request: OrderRequest) -> None:
    if not isinstance(request.account_id, str) or not request.account_id:
        raise InvalidOrder("Say which account the order is for (account_id).", field="account_id")
    if not isinstance(request.symbol, str) or not SYMBOL_PATTERN.match(request.symbol):
        raise InvalidOrder(
            f"{request.symbol!r} is not a symbol: use capital letters and digits, like SPX.",
            field="symbol",
        )
    if not isinstance(request.side, OrderSide):
        raise InvalidOrder("The side must be buy or sell.", field="side")
    if not isinstance(request.type, OrderType):
        raise InvalidOrder("The type must be market, limit, stop or stop_limit.", field="type")
    if not isinstance(request.time_in_force, TimeInForce):
        raise InvalidOrder("The time_in_force must be day or gtc.", field="time_in_force")
    if (request.quantity is None) == (request.notional is None):
        raise InvalidOrder(
            "Give either a quantity (how many to trade) or a notional (how much money to "
            "trade), not both and not neither.",
            field="quantity",
        )
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
            raise InvalidOrder(
                f"A {_type_words(request.type)} order needs a {FIELD_WORDS[field]} ({field}).",
                field=field,
            )
        if request.type not in needed_by and value is not None:
            raise InvalidOrder(
                f"A {_type_words(request.type)} order has no {FIELD_WORDS[field]}: leave out "
                f"{field}.",
                field=field,
            )
        _check_amount(value, field, places=PRICE_PLACES, low=PRICE_PLACES, high=MAX_ORDER_PRICE)
    client_id = request.client_order_id
    if client_id is not None and (
        not isinstance(client_id, str) or not CLIENT_ORDER_ID_PATTERN.match(client_id)
    ):
        raise InvalidOrder(
            "The client_order_id must be 1 to 64 letters, digits or the signs . _ : -",
            field="client_order_id",
        )


def _type_words(kind: OrderType) -> str:
    return kind.value.replace("_", "-")
