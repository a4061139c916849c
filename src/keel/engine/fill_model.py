"""The fill model: pure functions that decide if, how much and at what price an order fills.

Everything here is a function of (order, quote, config) with no hidden state, so the live engine and
the backtester share it, and a vectorised backtest can reproduce it with arrays: a marketable order
pays `touch × slippage_multiplier(side, config)`, rounded to the price grid against the trader.
See `docs/fill-model.md` for the rules in plain words.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from keel.domain.enums import OrderSide, OrderType
from keel.domain.fills import Fill, cash_up
from keel.domain.money import PRICE_PLACES, to_quantity
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine.config import BPS, ExecutionConfig

STOP_TYPES = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})
LIMIT_TYPES = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
ZERO = Decimal(0)


def slippage_multiplier(side: OrderSide, config: ExecutionConfig) -> Decimal:
    """Factor applied to the touch: `1 + slippage` for buys, `1 - slippage` for sells."""
    slip = config.slippage_bps / BPS
    return Decimal(1) + slip if side is OrderSide.BUY else Decimal(1) - slip


def round_price_against(side: OrderSide, price: Decimal) -> Decimal:
    """Round to the price grid in the market's favour: up for buys, down for sells."""
    rounding = ROUND_UP if side is OrderSide.BUY else ROUND_DOWN
    return max(price.quantize(PRICE_PLACES, rounding=rounding), PRICE_PLACES)


def fill_price(side: OrderSide, quote: Quote, config: ExecutionConfig) -> Decimal:
    """Price a marketable order of `side` pays on `quote`: the touch plus slippage (price grid)."""
    return round_price_against(side, quote.touch(side) * slippage_multiplier(side, config))


def quote_from_price(symbol: str, price: Decimal, time: datetime, config: ExecutionConfig) -> Quote:
    """A quote with unlimited size around a bare `price`, `config.spread_bps` wide in all.

    For feeds that carry only a price (e.g. a backtest on bar closes): bid and ask sit half the
    spread either side of `price`, which is also the last trade.
    """
    half = price * config.spread_bps / BPS / 2
    bid = round_price_against(OrderSide.SELL, price - half)
    ask = round_price_against(OrderSide.BUY, price + half)
    return Quote(symbol=symbol, time=time, bid=bid, ask=ask, last=price)


def is_triggered(order: Order, quote: Quote) -> bool:
    """True once a stop or stop-limit order's stop is reached; always true for other types.

    A buy stop triggers when the last trade or the ask reaches the stop from below; a sell stop
    when the last trade or the bid reaches it from above. Once triggered, an order stays triggered
    (`Order.triggered_at` is set by the book).
    """
    if order.type not in STOP_TYPES or order.triggered_at is not None:
        return True
    stop = order.stop_price
    assert stop is not None  # guaranteed by OrderRequest validation
    if order.side is OrderSide.BUY:
        return quote.last >= stop or quote.ask >= stop
    return quote.last <= stop or quote.bid <= stop


def is_marketable(order: Order, quote: Quote) -> bool:
    """True when the (triggered) order can trade against `quote` at its limit, if it has one."""
    if order.type not in LIMIT_TYPES:
        return True
    limit = order.limit_price
    assert limit is not None  # guaranteed by OrderRequest validation
    if order.side is OrderSide.BUY:
        return quote.ask <= limit
    return quote.bid >= limit


def execution_price(order: Order, quote: Quote, config: ExecutionConfig) -> Decimal:
    """Price the order gets if it fills on `quote`: touch plus slippage, never worse than its limit."""
    price = fill_price(order.side, quote, config)
    limit = order.limit_price if order.type in LIMIT_TYPES else None
    if limit is None:
        return price
    return min(price, limit) if order.side is OrderSide.BUY else max(price, limit)


def order_commission(quantity: Decimal, notional: Decimal, config: ExecutionConfig) -> Decimal:
    """Commission (cash, rounded up to the cent) for an order that traded `quantity` units worth
    `notional` cash in all: per unit plus bp of notional, but at least the per-order minimum."""
    if quantity <= 0:
        return ZERO
    variable = config.commission_per_unit * quantity + config.commission_bps * notional / BPS
    return cash_up(max(variable, config.commission_minimum))


def fill_commission(
    order: Order, quantity: Decimal, price: Decimal, config: ExecutionConfig
) -> Decimal:
    """Commission of one fill: the order's commission after it, minus what the order already paid.

    This charges the per-order minimum once (on the first fill), however the order is split.
    """
    total_after = order_commission(
        order.filled_quantity + quantity, order.filled_notional + quantity * price, config
    )
    return max(total_after - order.commission_paid, ZERO)


def fillable_quantity(
    order: Order, quote: Quote, price: Decimal, config: ExecutionConfig
) -> Decimal:
    """Units the order can take on `quote` at `price`: what it still wants (notional orders
    converted at `price`, rounded down to the grid), capped by the size at the touch."""
    wanted = order.quantity_wanted_at(price)
    available = quote.size_at_touch(order.side)
    if config.limit_to_touch_size and available is not None:
        wanted = min(wanted, to_quantity(available))
    return max(wanted, ZERO)


def would_fill(order: Order, quote: Quote) -> bool:
    """True when a working order is triggered and marketable on `quote` (size not considered)."""
    return (
        order.is_working
        and order.symbol == quote.symbol
        and is_triggered(order, quote)
        and is_marketable(order, quote)
    )


def match(
    order: Order, quote: Quote, config: ExecutionConfig, *, fill_id: str | None = None
) -> list[Fill]:
    """The fills `order` gets on `quote` (empty or one fill). Pure: the order is not changed.

    Market and triggered stop orders fill at the touch plus slippage; limit and triggered
    stop-limit orders fill when marketable, at the better of their limit and that price. Quantity
    is capped by the size at the touch when `config.limit_to_touch_size` is on.
    """
    if not would_fill(order, quote):
        return []
    price = execution_price(order, quote, config)
    quantity = fillable_quantity(order, quote, price, config)
    if quantity <= 0:
        return []
    return [
        Fill(
            id=fill_id or f"{order.id}-{order.fill_count + 1}",
            order_id=order.id,
            account_id=order.account_id,
            symbol=order.symbol,
            side=order.side,
            quantity=quantity,
            price=price,
            commission=fill_commission(order, quantity, price, config),
            time=quote.time,
        )
    ]
