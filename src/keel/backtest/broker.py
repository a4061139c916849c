"""The simulated broker of the hot loop: plain float state, fills priced by the engine's `FillRule`.

Accounting follows backtesting.py so the cross-check holds trade by trade: cash moves by realised
profit and commissions, equity = cash + Σ size × (mark − entry price), a reversal first closes the
opposite trades (FIFO) and then opens the new one, and an order the available equity cannot pay
for is cancelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from keel.backtest.fills import FillRule

ALL_IN_FRACTION = 1.0 - 2.220446049250313e-16
"""backtesting.py's default order size: "all of the available equity", a hair below 1."""


@dataclass(frozen=True)
class ClosedTrade:
    """One round trip; prices per unit, `pnl` and `commission` in cash, size negative when short."""

    size: float
    entry_bar: int
    exit_bar: int
    entry_price: float
    exit_price: float
    pnl: float
    commission: float

    @property
    def return_pct(self) -> float:
        """Return as a fraction of the entry notional, net of commissions (backtesting.py's)."""
        gross = math.copysign(1.0, self.size) * (self.exit_price / self.entry_price - 1)
        return gross - self.commission / (abs(self.size) * self.entry_price)


class Broker:
    """Cash, open trades and closed trades of one backtest (floats, for speed)."""

    __slots__ = ("cash", "closed", "rule", "trades")

    def __init__(self, cash: float, rule: FillRule) -> None:
        self.cash = float(cash)
        self.rule = rule
        # Open trades as [size, entry_price, entry_bar, entry_commission].
        self.trades: list[list[float]] = []
        self.closed: list[ClosedTrade] = []

    def position_size(self) -> float:
        """Signed units held."""
        return sum(trade[0] for trade in self.trades)

    def cost_basis(self) -> float:
        """Σ size × entry price of the open trades (cash)."""
        return sum(trade[0] * trade[1] for trade in self.trades)

    def equity_at(self, mark: float) -> float:
        """Cash plus the open trades marked at `mark` (cash)."""
        if not self.trades:
            return self.cash
        # Same operation order as the signal loop's vectorised curve, so both agree to the bit.
        return self.cash + self.position_size() * mark - self.cost_basis()

    def available_at(self, mark: float) -> float:
        """Equity not tied up in open trades, marked at `mark` (cash, never negative)."""
        used = sum(abs(trade[0]) * mark for trade in self.trades)
        return max(0.0, self.equity_at(mark) - used)

    def close_trade(self, trade: list[float], reference: float, bar: int) -> None:
        """Close one open trade at the fill price for `reference`, on `bar`."""
        size, entry_price, entry_bar, entry_commission = trade
        exit_price = self.rule.price(-size, reference)
        exit_commission = self.rule.commission(size, exit_price)
        gross = size * (exit_price - entry_price)
        self.cash += gross - exit_commission
        # By identity: a split trade and its closing part can hold equal values.
        del self.trades[next(i for i, open_trade in enumerate(self.trades) if open_trade is trade)]
        self.closed.append(
            ClosedTrade(
                size=size,
                entry_bar=int(entry_bar),
                exit_bar=bar,
                entry_price=entry_price,
                exit_price=exit_price,
                pnl=gross - entry_commission - exit_commission,
                commission=entry_commission + exit_commission,
            )
        )

    def close_all(self, reference: float, bar: int) -> None:
        for trade in list(self.trades):
            self.close_trade(trade, reference, bar)

    def units_for(self, direction: float, reference: float, fraction: float) -> float:
        """Whole units that `fraction` of the available equity buys (or sells short) at `reference`."""
        price = self.rule.price(direction, reference)
        price_with_commission = price + self.rule.commission(1.0, price)
        return float((self.available_at(reference) * fraction) // price_with_commission)

    def market(self, units: float, reference: float, bar: int, leverage: float = 1.0) -> bool:
        """Fill a market order of `units` (signed) at `reference` on `bar`; False if cancelled."""
        need = units
        for trade in list(self.trades):
            if trade[0] * need >= 0:
                continue
            if abs(need) >= abs(trade[0]):
                need += trade[0]
                self.close_trade(trade, reference, bar)
            else:
                self._reduce(trade, need, reference, bar)
                need = 0.0
            if need == 0:
                return True
        if need == 0:
            return True
        price = self.rule.price(need, reference)
        cost = abs(need) * (price + self.rule.commission(1.0, price))
        if cost > self.available_at(reference) * leverage:
            return False
        commission = self.rule.commission(need, price)
        self.cash -= commission
        self.trades.append([need, price, float(bar), commission])
        return True

    def _reduce(self, trade: list[float], units: float, reference: float, bar: int) -> None:
        # Split the trade: the part that closes becomes its own closed trade, as in backtesting.py.
        share = abs(units) / abs(trade[0])
        part = [-units, trade[1], trade[2], trade[3] * share]
        trade[0] += units
        trade[3] -= part[3]
        self.trades.append(part)
        self.close_trade(part, reference, bar)
