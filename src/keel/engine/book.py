"""The resting-order book: working orders per symbol, matched against each quote in time priority.

Orders of one symbol are kept in the order they entered the book. On a quote, each one that is
triggered and marketable is matched in turn; every fill takes its quantity off the size at the touch,
so a later order only gets what earlier ones left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from keel.domain.fills import Fill
from keel.domain.orders import Order, OrderEvent
from keel.domain.quotes import Quote
from keel.engine.config import ExecutionConfig
from keel.engine.fill_model import STOP_TYPES, is_triggered, match, would_fill

BeforeFill = Callable[[Order, Quote], bool]
"""Asked before a triggered, marketable order fills; `False` skips it (it may have been closed)."""
OnFill = Callable[[Order, Fill], bool]
"""Asked with each proposed fill before it is applied; `False` drops the fill."""


def _always(_order: object, _other: object) -> bool:
    return True


@dataclass(slots=True)
class BookPass:
    """What one pass over a quote produced: fills applied, the events they recorded, the quote left."""

    quote: Quote
    fills: list[Fill] = field(default_factory=list)
    events: list[tuple[Order, OrderEvent]] = field(default_factory=list)


class OrderBook:
    """Working (accepted or partially filled) orders, per symbol, in time priority."""

    def __init__(self) -> None:
        self._by_symbol: dict[str, dict[str, Order]] = {}
        self._symbol_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._symbol_of)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._symbol_of

    def __iter__(self) -> Iterator[Order]:
        for orders in self._by_symbol.values():
            yield from orders.values()

    def add(self, order: Order) -> None:
        """Put a working order at the back of its symbol's queue."""
        if not order.is_working:
            raise ValueError(f"order {order.id} is {order.status.value}, not working")
        if order.id in self._symbol_of:
            raise ValueError(f"order {order.id} is already in the book")
        self._by_symbol.setdefault(order.symbol, {})[order.id] = order
        self._symbol_of[order.id] = order.symbol

    def remove(self, order_id: str) -> Order | None:
        """Take an order out of the book (filled, cancelled, rejected or expired)."""
        symbol = self._symbol_of.pop(order_id, None)
        if symbol is None:
            return None
        return self._by_symbol[symbol].pop(order_id)

    def get(self, order_id: str) -> Order | None:
        symbol = self._symbol_of.get(order_id)
        return None if symbol is None else self._by_symbol[symbol][order_id]

    def working(self, symbol: str) -> list[Order]:
        """Working orders in `symbol`, oldest first."""
        return list(self._by_symbol.get(symbol, {}).values())

    def match_quote(
        self,
        quote: Quote,
        config: ExecutionConfig,
        *,
        before_fill: BeforeFill = _always,
        on_fill: OnFill = _always,
        only: Order | None = None,
    ) -> BookPass:
        """Match the working orders of `quote.symbol` (or just `only`) against `quote`.

        Stops that the quote reaches are marked triggered. Each triggered, marketable order is first
        passed to `before_fill` (the engine's gate), then its fill to `on_fill` (the account), then
        the fill is applied to the order and taken off the touch. Orders that end are removed.
        """
        result = BookPass(quote)
        candidates = [only] if only is not None else self.working(quote.symbol)
        for order in candidates:
            if order.type in STOP_TYPES and order.triggered_at is None:
                if not is_triggered(order, quote):
                    continue
                order.triggered_at = quote.time
            if not would_fill(order, result.quote):
                continue
            if before_fill(order, result.quote):
                for fill in match(order, result.quote, config):
                    if not on_fill(order, fill):
                        break
                    result.events.append((order, order.apply_fill(fill)))
                    result.fills.append(fill)
                    result.quote = result.quote.consume(fill.side, fill.quantity)
            if not order.is_working:
                self.remove(order.id)
        return result
