"""The simulated broker of the fast loops: plain float state, fills priced by the engine's `FillRule`.

Accounting follows backtesting.py so the cross-check holds trade by trade: cash moves by realised
profit and commissions, equity = cash + Σ size × (mark − entry price), a reversal first closes the
opposite trades (FIFO) and then opens the new one, and an order the available equity cannot pay
for is cancelled. Orders are split as the live engine receives them (the closing part, then the
rest), so commission is charged per order, as the engine charges it, and shared out over the
trades an order closes. `keel.backtest.live.EngineBroker` keeps the same books from the fills of
the real `ExecutionEngine`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

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


class FillRecord(NamedTuple):
    """One fill of one order: `units` signed (negative sells), `price` per unit, `commission` cash;
    on `bar`, at its close when `at_close`, else at its open."""

    bar: int
    at_close: bool
    units: float
    price: float
    commission: float


class Broker:
    """Cash, open trades and closed trades of one backtest (floats, for speed)."""

    __slots__ = ("at_close", "cash", "closed", "fills", "rule", "trades")

    def __init__(self, cash: float, rule: FillRule, *, at_close: bool = False) -> None:
        self.cash = float(cash)
        self.rule = rule
        self.at_close = at_close
        """Whether fills now happen at a bar's close (else at its open); the runner sets it."""
        # Open trades as [size, entry_price, entry_bar, entry_commission].
        self.trades: list[list[float]] = []
        self.closed: list[ClosedTrade] = []
        self.fills: list[FillRecord] = []

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

    def units_for(self, direction: float, reference: float, fraction: float) -> float:
        """Whole units that `fraction` of the available equity buys (or sells short) at `reference`."""
        price = self.rule.price(direction, reference)
        price_with_commission = price + self.rule.commission(1.0, price)
        return float((self.available_at(reference) * fraction) // price_with_commission)

    # ----- orders: one call is one order (a reversal is two: the closing part, then the rest) -----

    def close_all(self, reference: float, bar: int) -> None:
        """Close the whole position in one order at the fill price for `reference`, on `bar`."""
        if self.trades:
            self.fill(-self.position_size(), reference, bar)

    def market(
        self,
        units: float,
        reference: float,
        bar: int,
        leverage: float = 1.0,
        cap: float | None = None,
    ) -> bool:
        """A market order of `units` (signed) at `reference` on `bar`; False if (partly) refused.

        The part that closes opposite trades is filled first, as its own order. What is left adds
        exposure: with a breaker `cap` (a fraction of equity; 0 = reduce-only) it is cut to the
        whole units the cap leaves room for, then cancelled if the available equity × `leverage`
        cannot pay for it (backtesting.py's margin rule).
        """
        closing = self.closing_part(units)
        if closing:
            self.fill(closing, reference, bar)
        rest = units - closing
        if rest == 0:
            return True
        rest = self.capped(rest, reference, cap)
        if rest == 0 or not self.affordable(rest, reference, leverage):
            return False
        return self.fill(rest, reference, bar)

    def capped(self, units: float, reference: float, cap: float | None) -> float:
        """New exposure of `units` cut to the breaker `cap` (`within_cap`); as is when no cap."""
        return units if cap is None else self.within_cap(units, reference, cap)

    def closing_part(self, units: float) -> float:
        """The part of an order of `units` that closes (part of) the opposite position."""
        held = self.position_size()
        if held * units >= 0:
            return 0.0
        return math.copysign(min(abs(units), abs(held)), units)

    def within_cap(self, units: float, reference: float, cap: float) -> float:
        """`units` cut to the whole units that keep the position within `cap` × equity (as the
        order gate's CAUTIOUS cap values it: at the fill price, the position included)."""
        price = self.rule.price(units, reference)
        room = cap * self.equity_at(price) / price - abs(self.position_size())
        allowed = min(abs(units), float(math.floor(room))) if room >= 1 else 0.0
        return math.copysign(allowed, units) if allowed > 0 else 0.0

    def affordable(self, units: float, reference: float, leverage: float) -> bool:
        """True when the available equity × `leverage` pays for `units` more exposure."""
        price = self.rule.price(units, reference)
        cost = abs(units) * (price + self.rule.commission(1.0, price))
        return cost <= self.available_at(reference) * leverage

    def fill(self, units: float, reference: float, bar: int) -> bool:
        """Fill one order of `units` at the `FillRule`'s price and commission; True if it filled."""
        price = self.rule.price(units, reference)
        self.book(units, price, self.rule.commission(units, price), bar)
        return True

    # ----- bookkeeping of fills (shared with the engine-driven broker) -----------------------------

    def book(self, units: float, price: float, commission: float, bar: int) -> None:
        """Record one fill: it closes opposite trades FIFO (its commission shared out by size) or
        opens a new trade, never both (`market` splits such orders)."""
        self.fills.append(FillRecord(bar, self.at_close, units, price, commission))
        if self.rule.money_grid:
            # The engine's rounding of the fill's cash to the cent (not part of any trade's pnl).
            self.cash += self.rule.cash_rounding(units, price)
        if self.trades and self.trades[0][0] * units < 0:
            self._close_fifo(units, price, commission, bar)
            return
        self.cash -= commission
        self.trades.append([units, price, float(bar), commission])

    def _close_fifo(self, units: float, price: float, commission: float, bar: int) -> None:
        if len(self.trades) == 1 and self.trades[0][0] == -units:  # the common case: one trade
            self._close_trade(self.trades[0], price, commission, bar)
            return
        need, total = units, abs(units)
        for trade in list(self.trades):
            if need == 0:
                break
            part = trade if abs(need) >= abs(trade[0]) else self._split(trade, -need)
            need += part[0]
            self._close_trade(part, price, commission * abs(part[0]) / total, bar)

    def _split(self, trade: list[float], size: float) -> list[float]:
        # The part that closes becomes its own trade, as in backtesting.py.
        share = abs(size) / abs(trade[0])
        part = [size, trade[1], trade[2], trade[3] * share]
        trade[0] -= size
        trade[3] -= part[3]
        self.trades.append(part)
        return part

    def _close_trade(self, trade: list[float], price: float, commission: float, bar: int) -> None:
        size, entry_price, entry_bar, entry_commission = trade
        gross = size * (price - entry_price)
        self.cash += gross - commission
        # By identity: a split trade and its closing part can hold equal values.
        for position, open_trade in enumerate(self.trades):
            if open_trade is trade:
                del self.trades[position]
                break
        self.closed.append(
            ClosedTrade(
                size=size,
                entry_bar=int(entry_bar),
                exit_bar=bar,
                entry_price=entry_price,
                exit_price=price,
                pnl=gross - entry_commission - commission,
                commission=entry_commission + commission,
            )
        )
