"""Positions: what an account holds in one symbol, and what it has made or lost on it.

Quantities are signed units (negative = short), prices and average cost are currency per unit,
P&L is in cash (exact, not rounded to cents). Realized P&L excludes commission, which is tracked
separately in `commission_paid`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from keel.domain.fills import Fill

ZERO = Decimal(0)


@dataclass(slots=True)
class Position:
    """Holding in one symbol, updated fill by fill with average-cost accounting."""

    symbol: str
    quantity: Decimal = ZERO
    average_cost: Decimal = ZERO
    realized_pnl: Decimal = ZERO
    commission_paid: Decimal = ZERO

    @property
    def is_flat(self) -> bool:
        return self.quantity == 0

    @property
    def cost_basis(self) -> Decimal:
        """Cash paid (received, if short) for the open quantity: quantity × average cost."""
        return self.quantity * self.average_cost

    def market_value(self, price: Decimal) -> Decimal:
        """Value of the open quantity at `price` (negative when short)."""
        return self.quantity * price

    def unrealized_pnl(self, price: Decimal) -> Decimal:
        """Gain (loss, if negative) on the open quantity if it were closed at `price`."""
        return (price - self.average_cost) * self.quantity

    def apply(self, fill: Fill) -> Decimal:
        """Add one fill; returns the P&L it realized (zero when it only opens or adds)."""
        if fill.symbol != self.symbol:
            raise ValueError(f"fill for {fill.symbol} applied to position in {self.symbol}")
        change = fill.signed_quantity
        self.commission_paid += fill.commission
        if self.quantity == 0 or (self.quantity > 0) == (change > 0):
            new_quantity = self.quantity + change
            self.average_cost = (self.cost_basis + change * fill.price) / new_quantity
            self.quantity = new_quantity
            return ZERO
        closing = min(abs(change), abs(self.quantity))
        direction = Decimal(1) if self.quantity > 0 else Decimal(-1)
        realized = (fill.price - self.average_cost) * closing * direction
        self.realized_pnl += realized
        self.quantity += change
        if self.quantity == 0:
            self.average_cost = ZERO
        elif (self.quantity > 0) != (direction > 0):
            # The fill went through zero: what is left is a new position opened at the fill price.
            self.average_cost = fill.price
        return realized


def positions_from_fills(
    fills: Iterable[Fill], start: Mapping[str, Position] | None = None
) -> dict[str, Position]:
    """Replay fills in order into positions per symbol (flat positions kept, for realized P&L),
    from copies of `start` (the positions of the fills before them; untouched) when given."""
    positions = {symbol: replace(position) for symbol, position in (start or {}).items()}
    for fill in fills:
        positions.setdefault(fill.symbol, Position(fill.symbol)).apply(fill)
    return positions
