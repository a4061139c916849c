"""Per-bar volatility regimes and breaker levels of a backtest, from `keel.volatility` and `keel.risk`.

Regimes are `keel.volatility`'s default classifier, `ThresholdRegimeClassifier(HysteresisConfig())`
(EWMA vol against calibrated thresholds, a fast trigger, immediate escalation, one-step
de-escalation after a calm run), with the bars' own periods a year. `regime_series` runs that
machine from event to event on numpy arrays instead of bar by bar, so a million bars cost
milliseconds; a test proves it gives the classifier's labels on every bundled history.

Breaker levels come from `keel.risk.SymbolBreaker`, observed at each bar's close (so its cooldown
and probing apply), and the CAUTIOUS size multiplier from `keel.risk.BreakerCheck`, exactly as
the live order gate applies them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from keel.backtest.calendar import bars_per_year
from keel.backtest.progress import Chunks, whole
from keel.domain.enums import Permission, Regime
from keel.market.bars import utc_from_ns
from keel.risk import BreakerBoard, BreakerCheck, SymbolBreaker
from keel.volatility.regimes import HysteresisConfig


def periods_per_year(index: pd.DatetimeIndex) -> float:
    """Bars per year implied by the median spacing of `index` (252 for trading days)."""
    return bars_per_year(index.as_unit("ns").asi8)


def classifier_config(index: pd.DatetimeIndex) -> HysteresisConfig:
    """The default classifier's settings, annualising with the bars' own periods a year."""
    return HysteresisConfig(periods_per_year=periods_per_year(index))


def realised_vol(close: np.ndarray, lookback: float, per_year: float) -> np.ndarray:
    """Annualised rolling standard deviation of log returns over `lookback` bars (NaN warm-up)."""
    returns = np.empty_like(close)
    returns[0] = np.nan
    returns[1:] = np.log(close[1:] / close[:-1])
    rolling = pd.Series(returns).rolling(int(lookback)).std(ddof=1).to_numpy()
    return rolling * np.sqrt(per_year)


def _ewma_vol(squared_returns: np.ndarray, lam: float, per_year: float) -> np.ndarray:
    # The streaming EwmaVol's recursions S = λS + r², W = λW + 1, as linear filters.
    weighted = lfilter([1.0], [1.0, -lam], squared_returns)
    return np.sqrt(np.maximum(weighted / _ewma_weight(len(squared_returns), lam), 0.0) * per_year)


def _ewma_weight(length: int, lam: float) -> np.ndarray:
    """W_k = λW_{k−1} + 1 in floats; it reaches its float fixed point and stays there."""
    head = lfilter([1.0], [1.0, -lam], np.ones(min(length, 4096)))
    if length <= len(head) or head[-1] != head[-2]:
        return lfilter([1.0], [1.0, -lam], np.ones(length))
    return np.r_[head, np.full(length - len(head), head[-1])]


class _Runs:
    """Where a boolean series is True, for "first bar from here on" questions about it."""

    def __init__(self, mask: np.ndarray, length: int, run_length: int = 1) -> None:
        edges = np.diff(np.r_[0, mask.view(np.int8), 0])
        self.starts = np.flatnonzero(edges == 1)
        self.ends = np.flatnonzero(edges == -1) - 1  # inclusive
        self.length = length
        self.run_length = run_length
        long_runs = self.ends - self.starts + 1 >= run_length
        self.long_starts, self.long_ends = self.starts[long_runs], self.ends[long_runs]

    def first_from(self, position: int) -> int:
        """The first True position ≥ `position` (else the series length)."""
        run = int(np.searchsorted(self.ends, position))
        return max(int(self.starts[run]), position) if run < len(self.ends) else self.length

    def first_run_end(self, position: int) -> int:
        """The first bar s that ends `run_length` True values in a row, counted from `position` on
        (so s ≥ position + run_length − 1); else the series length."""
        # Only a run of at least run_length can hold run_length values from `position` on, and the
        # first such run ending late enough does; it counts from its start or from `position`.
        run = int(np.searchsorted(self.long_ends, position + self.run_length - 1))
        if run == len(self.long_ends):
            return self.length
        return max(int(self.long_starts[run]), position) + self.run_length - 1


def regime_series(close: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Regime code (0 LOW … 3 EXTREME) of every bar from the default classifier, causally.

    The first bar (no return yet: the classifier is warming up) is NORMAL.
    """
    config = classifier_config(index)
    length = len(close)
    codes = np.full(length, int(Regime.NORMAL), dtype=np.int8)
    if length < 2:
        return codes
    returns = np.log(close[1:] / close[:-1])
    squared = returns * returns
    vol = _ewma_vol(squared, config.ewma_lambda, config.periods_per_year)
    fast_on = _ewma_vol(squared, config.fast_lambda, config.periods_per_year) >= config.fast_trigger
    thresholds = np.asarray(config.thresholds, dtype=float)
    target = np.searchsorted(thresholds, vol, side="right")
    target = np.where(fast_on, np.maximum(target, int(config.fast_regime)), target)
    count = len(target)
    escalation = [_Runs(target > regime, count) for regime in range(int(Regime.EXTREME))]
    calm_limits = config.calm_fraction * thresholds
    calm = [_Runs((vol < limit) & ~fast_on, count, config.calm_run) for limit in calm_limits]
    codes[1:] = _hysteresis(target, escalation, calm)
    return codes


def _hysteresis(target: np.ndarray, escalation: list[_Runs], calm: list[_Runs]) -> np.ndarray:
    """The classifier's state machine, jumping from one regime change to the next.

    Escalation: the first bar whose target is above the regime. De-escalation: the first bar that
    ends `calm_run` calm bars in a row counted after the last change (the classifier's count).
    """
    length = len(target)
    labels = np.empty(length, dtype=np.int8)
    regime, entered = int(target[0]), 0
    labels[0] = regime
    while entered + 1 < length:
        after = entered + 1
        rises = escalation[regime].first_from(after) if regime < Regime.EXTREME else length
        falls = calm[regime - 1].first_run_end(after) if regime > Regime.LOW else length
        change = min(rises, falls)
        labels[after:change] = regime
        if change >= length:
            break
        regime = int(target[change]) if rises < falls else regime - 1
        labels[change] = regime
        entered = change
    return labels


def breaker_levels(
    regimes: np.ndarray, close_times_ns: np.ndarray, symbol: str, chunks: Chunks = whole
) -> tuple[np.ndarray, np.ndarray]:
    """Per bar: the symbol breaker's level after observing that bar's regime at its close, and
    the new-exposure cap it implies (NaN: none; the CAUTIOUS multiplier; RESTRICTED's small share,
    10 % by default; 0 at CLOSED).

    `chunks` splits the bars into the ranges between progress reports (`ProgressMeter.chunks`).
    """
    breaker = SymbolBreaker(symbol)
    check = BreakerCheck(BreakerBoard())
    multipliers = {regime: float(check.cautious_multiplier(regime)) for regime in Regime}
    restricted = float(check.restricted_fraction)
    levels = np.empty(len(regimes), dtype=np.int8)
    caps = np.empty(len(regimes))
    codes, times_ns = regimes.tolist(), close_times_ns.tolist()
    if len(codes) != len(times_ns):
        raise ValueError("one close time per regime is needed")
    for lo, hi in chunks(0, len(codes)):
        for bar in range(lo, hi):
            regime = Regime(codes[bar])
            breaker.observe_regime(regime, utc_from_ns(times_ns[bar]))
            level = breaker.level
            levels[bar] = level
            caps[bar] = new_exposure_cap(level, multipliers[regime], restricted)
    return levels, caps


def new_exposure_cap(
    level: Permission, cautious_multiplier: float, restricted_fraction: float = 0.10
) -> float:
    """Largest position, as a fraction of equity, that new exposure may reach at `level` (as
    `keel.risk.BreakerCheck.size_multiplier`: RESTRICTED keeps new positions small, not none)."""
    if level is Permission.OPEN:
        return np.nan
    if level is Permission.CAUTIOUS:
        return cautious_multiplier
    if level is Permission.RESTRICTED:
        return min(restricted_fraction, cautious_multiplier)
    return 0.0
