"""Running figures of an account's end-of-day equity: one update per market day's close.

A leaderboard of 200 students over a hundred market days would read 20,000 equity points every
time it is shown; these figures keep what it needs in a handful of sums instead (count, sum and
sum of squares of daily returns, the squared down days, the peak and the worst drop, the growth
in each stormy regime), updated once per close. Their ratios equal the batch computation on the
same closes (`keel.learning.leaderboard.sharpe_ratio` …; a test proves it).

Floats: these are analytics (returns and ratios), converted from `Decimal` equity once, in
`update`; the last close itself stays `Decimal` (money).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from keel.domain.enums import Regime

TRADING_DAYS = 252
RELATIVE_TOLERANCE = 1e-12
"""A variance below this share of the mean square is rounding, not a swing (no ratio)."""


@dataclass(frozen=True)
class EquityFigures:
    """Figures of one account's end-of-day equity since its starting cash."""

    starting_cash: Decimal
    last_close: Decimal
    as_of: date | None = None
    """The last market day folded in (a close for that day or before is ignored)."""
    days: int = 0
    """Daily returns counted (a close after equity reached zero adds none)."""
    sum_returns: float = 0.0
    sum_squares: float = 0.0
    sum_down_squares: float = 0.0
    peak: float = 0.0
    max_drawdown: float = 0.0
    high_growth: float = 1.0
    high_days: int = 0
    extreme_growth: float = 1.0
    extreme_days: int = 0

    @classmethod
    def start(cls, starting_cash: Decimal) -> EquityFigures:
        return cls(starting_cash, starting_cash, peak=float(starting_cash))

    def update(self, day: date, equity: Decimal, regime: Regime | None) -> EquityFigures:
        """Fold in the close of `day` (`regime`: the index's, classified at that close)."""
        if self.as_of is not None and day <= self.as_of:
            return self
        before, after = float(self.last_close), float(equity)
        peak = max(self.peak, after)
        drawdown = max(self.max_drawdown, 1.0 - after / peak) if peak > 0 else self.max_drawdown
        moved = replace(self, last_close=equity, as_of=day, peak=peak, max_drawdown=drawdown)
        if before <= 0:  # no return from nothing
            return moved
        r = after / before - 1.0
        moved = replace(
            moved,
            days=self.days + 1,
            sum_returns=self.sum_returns + r,
            sum_squares=self.sum_squares + r * r,
            sum_down_squares=self.sum_down_squares + min(r, 0.0) ** 2,
        )
        if regime is Regime.HIGH:
            return replace(
                moved, high_growth=self.high_growth * (1 + r), high_days=self.high_days + 1
            )
        if regime is Regime.EXTREME:
            return replace(
                moved,
                extreme_growth=self.extreme_growth * (1 + r),
                extreme_days=self.extreme_days + 1,
            )
        return moved

    @property
    def total_return(self) -> float:
        """Last close over starting cash, minus one (0 for an account that had none)."""
        if self.starting_cash <= 0:
            return 0.0
        return float(self.last_close / self.starting_cash - 1)

    @property
    def sharpe(self) -> float | None:
        """Annualised mean over the sample standard deviation of daily returns."""
        n = self.days
        if n < 2:
            return None
        mean = self.sum_returns / n
        variance = (self.sum_squares - n * mean * mean) / (n - 1)
        if variance <= RELATIVE_TOLERANCE * (self.sum_squares / n):
            return None
        return mean / math.sqrt(variance) * math.sqrt(TRADING_DAYS)

    @property
    def sortino(self) -> float | None:
        """Annualised mean over the downside deviation (target 0) of daily returns."""
        if self.days == 0 or self.sum_down_squares <= 0:
            return None
        downside = math.sqrt(self.sum_down_squares / self.days)
        return (self.sum_returns / self.days) / downside * math.sqrt(TRADING_DAYS)

    @property
    def calmar(self) -> float | None:
        """Total return over the maximum drawdown (None without a drop)."""
        return self.total_return / self.max_drawdown if self.max_drawdown > 0 else None

    def regime_return(self, regime: Regime) -> float | None:
        """Compounded return over the days in `regime` (HIGH or EXTREME; None: no such day)."""
        growth, days = {
            Regime.HIGH: (self.high_growth, self.high_days),
            Regime.EXTREME: (self.extreme_growth, self.extreme_days),
        }[regime]
        return growth - 1.0 if days else None

    def regime_days(self, regime: Regime) -> int:
        return {Regime.HIGH: self.high_days, Regime.EXTREME: self.extreme_days}[regime]
