"""Per-bar volatility regimes, breaker permissions and realised volatility for a backtest.

The regime of bar t uses closes up to t only. When `keel.volatility` offers a batch classifier
(`classify_series(close, periods_per_year) -> array of Regime`), it is used; otherwise a local rule
classifies the annualised 20-bar close-to-close volatility against fixed bands.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.calendar import bars_per_year
from keel.domain.enums import Permission, Regime

VOL_BANDS = (0.10, 0.20, 0.35)
"""Annualised volatility upper bounds of LOW, NORMAL and HIGH (above the last: EXTREME)."""

PERMISSION_BY_REGIME = {
    Regime.LOW: Permission.OPEN,
    Regime.NORMAL: Permission.OPEN,
    Regime.HIGH: Permission.CAUTIOUS,
    Regime.EXTREME: Permission.RESTRICTED,
}
CAUTIOUS_SIZE = 0.5
"""Size multiplier for new exposure while the breaker is CAUTIOUS."""


def periods_per_year(index: pd.DatetimeIndex) -> float:
    """Bars per year implied by the median spacing of `index` (252 for trading days)."""
    return bars_per_year(index.as_unit("ns").asi8)


def realised_vol(close: np.ndarray, lookback: float, per_year: float) -> np.ndarray:
    """Annualised rolling standard deviation of log returns over `lookback` bars (NaN warm-up)."""
    returns = np.empty_like(close)
    returns[0] = np.nan
    returns[1:] = np.log(close[1:] / close[:-1])
    rolling = pd.Series(returns).rolling(int(lookback)).std(ddof=1).to_numpy()
    return rolling * np.sqrt(per_year)


def _fast_rolling_vol(close: np.ndarray, window: int, per_year: float) -> np.ndarray:
    """`realised_vol` by cumulative sums: a few times faster, equal to ~1e-12 (for regimes only)."""
    returns = np.log(close[1:] / close[:-1])
    out = np.full(len(close), np.nan)
    if len(returns) < window:
        return out
    sums = np.cumsum(np.r_[0.0, returns])
    squares = np.cumsum(np.r_[0.0, returns * returns])
    total = sums[window:] - sums[:-window]
    total_sq = squares[window:] - squares[:-window]
    variance = np.maximum(total_sq - total * total / window, 0.0) / (window - 1)
    out[window:] = np.sqrt(variance * per_year)
    return out


def _engine_classifier() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("keel.volatility")
    except ImportError:
        return None
    classify = getattr(module, "classify_series", None)
    return classify if callable(classify) else None


def regime_series(close: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    """Regime code (0 LOW … 3 EXTREME) of every bar, causally; warm-up bars are NORMAL."""
    per_year = periods_per_year(index)
    classify = _engine_classifier()
    if classify is not None:
        return np.asarray(classify(close, per_year), dtype=np.int8)
    vol = _fast_rolling_vol(close, 20, per_year)
    codes = np.searchsorted(np.asarray(VOL_BANDS), vol, side="right").astype(np.int8)
    codes[np.isnan(vol)] = Regime.NORMAL
    return codes


def size_scale(regimes: np.ndarray) -> np.ndarray:
    """Size multiplier for new exposure per bar with breakers on: 1 OPEN, ½ CAUTIOUS, 0 otherwise."""
    scale = np.ones(len(regimes))
    for regime, permission in PERMISSION_BY_REGIME.items():
        if permission is Permission.CAUTIOUS:
            scale[regimes == regime] = CAUTIOUS_SIZE
        elif permission >= Permission.RESTRICTED:
            scale[regimes == regime] = 0.0
    return scale
