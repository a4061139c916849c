"""Factories for orders, fills, quotes and accounts, priced from the bundled real SPX history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType, TimeInForce
from keel.domain.fills import Fill
from keel.domain.money import to_price
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.market.datasets import load_bundled

T0 = datetime(2008, 9, 2, 14, 30, tzinfo=UTC)
ACCOUNT_ID = "acct-1"
SYMBOL = "SPX"


@cache
def spx_closes() -> tuple[Decimal, ...]:
    """Every SPX daily close (1999-2018) on the price grid."""
    frame = load_bundled("SPX")
    return tuple(to_price(float(value)) for value in frame["Close"].to_numpy())


@cache
def spx_crash_closes() -> tuple[Decimal, ...]:
    """SPX closes from September to December 2008, a rough stretch to trade through."""
    frame = load_bundled("SPX").loc["2008-09-01":"2008-12-31"]
    return tuple(to_price(float(value)) for value in frame["Close"].to_numpy())


def request(
    *,
    side: OrderSide = OrderSide.BUY,
    type: OrderType = OrderType.MARKET,
    quantity: Decimal | None = Decimal("1"),
    notional: Decimal | None = None,
    limit_price: Decimal | None = None,
    stop_price: Decimal | None = None,
    time_in_force: TimeInForce = TimeInForce.DAY,
    client_order_id: str | None = None,
    symbol: str = SYMBOL,
    account_id: str = ACCOUNT_ID,
) -> OrderRequest:
    return OrderRequest(
        account_id=account_id,
        symbol=symbol,
        side=side,
        type=type,
        quantity=None if notional is not None else quantity,
        notional=notional,
        limit_price=limit_price,
        stop_price=stop_price,
        time_in_force=time_in_force,
        client_order_id=client_order_id,
    )


def accepted_order(order_id: str = "O1", **fields: object) -> Order:
    """A placed, accepted order built from `request(**fields)`."""
    order = Order.draft(request(**fields), order_id=order_id, time=T0)  # type: ignore[arg-type]
    order.place(time=T0, needs_approval=False)
    return order


def fill(
    order: Order,
    quantity: Decimal,
    price: Decimal,
    *,
    commission: Decimal = Decimal("0.00"),
    number: int = 1,
    time: datetime = T0,
) -> Fill:
    return Fill(
        id=f"{order.id}-{number}",
        order_id=order.id,
        account_id=order.account_id,
        symbol=order.symbol,
        side=order.side,
        quantity=quantity,
        price=price,
        commission=commission,
        time=time,
    )


def quote_around(
    price: Decimal,
    *,
    half_spread: Decimal = Decimal("0.25"),
    size: Decimal | None = None,
    minutes: int = 0,
    symbol: str = SYMBOL,
) -> Quote:
    """A quote with bid/ask `half_spread` either side of `price` (the last trade)."""
    return Quote(
        symbol=symbol,
        time=T0 + timedelta(minutes=minutes),
        bid=price - half_spread,
        ask=price + half_spread,
        last=price,
        bid_size=size,
        ask_size=size,
    )


def funded_account(cash: Decimal = Decimal("100000.00"), **flags: bool) -> Account:
    return Account.open(ACCOUNT_ID, cash, time=T0, **flags)
