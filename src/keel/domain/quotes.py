"""Top-of-book quotes: what the fill model trades against.

A `Quote` is produced by the market layer (replayed ticks with a spread) or by a backtest from a bar,
and consumed by `keel.engine`. It lives in the domain so every layer can share one type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from keel.domain.enums import OrderSide
from keel.domain.errors import InvalidQuote


@dataclass(frozen=True, slots=True)
class Quote:
    """Best bid and ask for one symbol at one moment.

    Prices are in the instrument's currency per unit. `bid_size` / `ask_size` are the quantities
    available at the touch, in units; `None` means "unlimited" (a bar-based backtest has no depth).
    `last` is the last traded price, used to trigger stops.
    """

    symbol: str
    time: datetime
    bid: Decimal
    ask: Decimal
    last: Decimal
    bid_size: Decimal | None = None
    ask_size: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("bid", "ask", "last"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
                raise InvalidQuote(f"{self.symbol} quote has a bad {name}: {value!r}")
        if self.bid > self.ask:
            raise InvalidQuote(f"{self.symbol} quote is crossed: bid {self.bid} > ask {self.ask}")
        for name in ("bid_size", "ask_size"):
            size = getattr(self, name)
            if size is not None and (not size.is_finite() or size < 0):
                raise InvalidQuote(f"{self.symbol} quote has a bad {name}: {size!r}")
        if self.time.tzinfo is None:
            raise InvalidQuote(f"{self.symbol} quote time must be timezone-aware")

    @property
    def mid(self) -> Decimal:
        """Midpoint of bid and ask."""
        return (self.bid + self.ask) / 2

    def touch(self, side: OrderSide) -> Decimal:
        """The price a marketable order of `side` trades against: ask for buys, bid for sells."""
        return self.ask if side is OrderSide.BUY else self.bid

    def size_at_touch(self, side: OrderSide) -> Decimal | None:
        """Quantity available to an order of `side` at the touch (`None` = unlimited)."""
        return self.ask_size if side is OrderSide.BUY else self.bid_size

    def consume(self, side: OrderSide, quantity: Decimal) -> Quote:
        """The same quote with `quantity` taken off the touch an order of `side` trades against."""
        available = self.size_at_touch(side)
        if available is None:
            return self
        left = max(available - quantity, Decimal(0))
        if side is OrderSide.BUY:
            return replace(self, ask_size=left)
        return replace(self, bid_size=left)
