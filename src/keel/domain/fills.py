"""Fills: one execution of (part of) an order at one price.

Cash is rounded against the trader: what a buy costs is rounded up to the cent and what a sell
brings in is rounded down, so no sequence of tiny trades can create money out of rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from keel.domain.enums import OrderSide
from keel.domain.errors import InvalidFill
from keel.domain.money import CASH_PLACES, PRICE_PLACES, QUANTITY_PLACES, has_at_most_places


def cash_up(amount: Decimal) -> Decimal:
    """Round a cash amount up (away from zero) to the cent."""
    return amount.quantize(CASH_PLACES, rounding=ROUND_UP)


def cash_down(amount: Decimal) -> Decimal:
    """Round a cash amount down (toward zero) to the cent."""
    return amount.quantize(CASH_PLACES, rounding=ROUND_DOWN)


@dataclass(frozen=True, slots=True)
class Fill:
    """An execution: `quantity` units of `symbol` at `price` (currency per unit), plus `commission`.

    `quantity` is on the quantity grid, `price` on the price grid, `commission` in cents (>= 0).
    """

    id: str
    order_id: str
    account_id: str
    symbol: str
    side: OrderSide
    quantity: Decimal
    price: Decimal
    commission: Decimal
    time: datetime

    def __post_init__(self) -> None:
        if not self.quantity.is_finite() or self.quantity <= 0:
            raise InvalidFill(f"fill quantity must be positive, got {self.quantity}")
        if not has_at_most_places(self.quantity, QUANTITY_PLACES):
            raise InvalidFill(f"fill quantity is off the quantity grid: {self.quantity}")
        if not self.price.is_finite() or self.price <= 0:
            raise InvalidFill(f"fill price must be positive, got {self.price}")
        if not has_at_most_places(self.price, PRICE_PLACES):
            raise InvalidFill(f"fill price is off the price grid: {self.price}")
        if not self.commission.is_finite() or self.commission < 0:
            raise InvalidFill(f"commission must be zero or more, got {self.commission}")
        if not has_at_most_places(self.commission, CASH_PLACES):
            raise InvalidFill(f"commission is not whole cents: {self.commission}")

    @property
    def notional(self) -> Decimal:
        """Exact traded value, quantity × price, before rounding to cash."""
        return self.quantity * self.price

    @property
    def signed_quantity(self) -> Decimal:
        """Quantity as it changes the position: positive for buys, negative for sells."""
        return self.quantity if self.side is OrderSide.BUY else -self.quantity

    @property
    def gross_cash(self) -> Decimal:
        """Cash the trade itself moves, before commission: negative for buys, positive for sells."""
        if self.side is OrderSide.BUY:
            return -cash_up(self.notional)
        return cash_down(self.notional)

    @property
    def net_cash(self) -> Decimal:
        """Cash the fill moves in all, commission included."""
        return self.gross_cash - self.commission
