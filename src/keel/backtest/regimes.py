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

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from keel.backtest.calendar import bars_per_year
from keel.domain.enums import Permission, Regime
from keel.risk import BreakerBoard, BreakerCheck, SymbolBreaker
from keel.volatility.regimes import HysteresisConfig

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    weight = lfilter([1.0], [1.0, -lam], np.ones_like(squared_returns))
    return np.sqrt(np.maximum(weighted / weight, 0.0) * per_year)


def _next_true(mask: np.ndarray) -> np.ndarray:
    """next[i] = the first j ≥ i where mask[j], else len(mask); one extra slot at the end."""
    length = len(mask)
    positions = np.where(mask, np.arange(length), length)
    return np.r_[np.minimum.accumulate(positions[::-1])[::-1], length]


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """Length of the run of True values ending at each position (0 where False)."""
    positions = np.arange(len(mask))
    last_false = np.maximum.accumulate(np.where(mask, -1, positions))
    return positions - last_false


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
    escalation = [_next_true(target > regime) for regime in range(int(Regime.EXTREME))]
    calm_limits = config.calm_fraction * thresholds
    de_escalation = [
        _next_true(_run_lengths((vol < calm_limits[regime - 1]) & ~fast_on) >= config.calm_run)
        for regime in range(1, int(Regime.EXTREME) + 1)
    ]
    labels = _hysteresis(target, escalation, de_escalation, config.calm_run)
    codes[1:] = labels
    return codes


def _hysteresis(
    target: np.ndarray,
    escalation: list[np.ndarray],
    de_escalation: list[np.ndarray],
    calm_run: int,
) -> np.ndarray:
    """The classifier's state machine, jumping from one regime change to the next."""
    length = len(target)
    labels = np.empty(length, dtype=np.int8)
    regime, entered = int(target[0]), 0
    labels[0] = regime
    while entered + 1 < length:
        rises = escalation[regime][entered + 1] if regime < Regime.EXTREME else length
        calm_from = min(entered + calm_run, length)
        falls = de_escalation[regime - 1][calm_from] if regime > Regime.LOW else length
        change = min(rises, falls)
        labels[entered + 1 : change] = regime
        if change >= length:
            break
        regime = int(target[change]) if rises < falls else regime - 1
        labels[change] = regime
        entered = change
    return labels


def breaker_levels(
    regimes: np.ndarray, close_times_ns: np.ndarray, symbol: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per bar: the symbol breaker's level after observing that bar's regime at its close, and
    the new-exposure cap it implies (NaN: none; the CAUTIOUS multiplier; 0: reduce-only)."""
    breaker = SymbolBreaker(symbol)
    check = BreakerCheck(BreakerBoard())
    multipliers = {regime: float(check.cautious_multiplier(regime)) for regime in Regime}
    levels = np.empty(len(regimes), dtype=np.int8)
    caps = np.empty(len(regimes))
    for bar, (code, at_ns) in enumerate(
        zip(regimes.tolist(), close_times_ns.tolist(), strict=True)
    ):
        regime = Regime(code)
        breaker.observe_regime(regime, EPOCH + timedelta(microseconds=at_ns // 1000))
        level = breaker.level
        levels[bar] = level
        caps[bar] = new_exposure_cap(level, multipliers[regime])
    return levels, caps


def new_exposure_cap(level: Permission, cautious_multiplier: float) -> float:
    """Largest position, as a fraction of equity, that new exposure may reach at `level`."""
    if level is Permission.OPEN:
        return np.nan
    if level is Permission.CAUTIOUS:
        return cautious_multiplier
    return 0.0
