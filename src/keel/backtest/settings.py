"""Execution settings of a backtest: how orders fill, what they cost and how large they are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FillTiming(StrEnum):
    """When a decision taken on bar t is filled."""

    NEXT_OPEN = "next-open"
    """At the open of bar t + 1 (the default for daily bars)."""
    CLOSE = "close"
    """At the close of bar t, the bar the decision was taken on."""


class Sizing(StrEnum):
    """How many units a new position gets."""

    ALL_IN = "all-in"
    """As many whole units as the available equity buys (backtesting.py's default)."""
    FRACTION = "fraction"
    """Whole units worth `fraction` of the available equity."""
    FIXED = "fixed"
    """Exactly `units` units."""
    VOL_TARGET = "vol-target"
    """Whole units worth equity × min(max_leverage, target_vol / realised annualised vol)."""


@dataclass(frozen=True)
class ExecutionSettings:
    """Frozen execution settings; every rate is a fraction (0.002 = 0.2 %), cash in account currency.

    `spread` is the full bid/ask spread as a fraction of the reference price (half is paid on each
    fill), `slippage` a further adverse fraction on each fill, `commission` a fraction of each fill's
    notional (as backtesting.py's ``commission``).

    `breakers` on: the symbol's circuit breaker (`keel.risk.SymbolBreaker`, fed the bars' regimes)
    limits new exposure as the live order gate does (CAUTIOUS: a position capped at the regime's
    size multiplier × equity; RESTRICTED: at 10 % of equity). `money_grid` off (the default): money
    in plain floats, as backtesting.py computes it; on: prices on the engine's price grid and each
    order's commission rounded up to the cent, as the live engine charges it.
    """

    cash: float = 10_000.0
    commission: float = 0.0
    spread: float = 0.0
    slippage: float = 0.0
    fill: FillTiming = FillTiming.NEXT_OPEN
    sizing: Sizing = Sizing.ALL_IN
    fraction: float = 1.0
    units: float = 1.0
    target_vol: float = 0.15
    vol_lookback: int = 20
    max_leverage: float = 1.0
    long_short: bool = False
    breakers: bool = False
    close_at_end: bool = True
    check_lookahead: bool = True
    money_grid: bool = False

    def __post_init__(self) -> None:
        if self.cash <= 0:
            raise ValueError(f"cash must be positive, got {self.cash}")
        for name in ("commission", "spread", "slippage"):
            value = getattr(self, name)
            if not 0 <= value < 0.1:
                raise ValueError(f"{name} must be a fraction in [0, 0.1), got {value}")
        if not 0 < self.fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], got {self.fraction}")
        if self.units <= 0 or self.target_vol <= 0 or self.max_leverage <= 0:
            raise ValueError("units, target_vol and max_leverage must be positive")
        if self.vol_lookback < 2:
            raise ValueError("vol_lookback must be at least 2 bars")
