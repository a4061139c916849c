"""Log returns between consecutive bars, and the annualisation constants.

Units: a return is a natural-log price ratio (dimensionless, 0.01 ≈ 1 %). Volatilities are
annualised standard deviations of log returns (0.20 = 20 % a year).

Calendar gaps (the exchange closure of 2001-09-11…14, holidays, weekends) are not special: the
return from the last bar before a gap to the first bar after it is *one* return, neither dropped nor
spread over the missing days, and counts as one trading period in the annualisation. That is the
market's own convention (the closure removed trading days, so there were no periods to spread over)
and keeps every estimator causal and bar-aligned.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

TRADING_DAYS_PER_YEAR = 252
"""Annualisation factor for daily bars: periods per year."""

TRADING_SECONDS_PER_YEAR = TRADING_DAYS_PER_YEAR * 6.5 * 3600
"""Seconds of trading time in a year (252 sessions of 6.5 hours), for tick streams."""

FloatArray = npt.NDArray[np.float64]


def as_float_array(values: npt.ArrayLike) -> FloatArray:
    """Return `values` as a 1-D float64 array (a pandas Series gives its values)."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"expected a 1-D series, got shape {array.shape}")
    return array


def log_returns(close: npt.ArrayLike) -> FloatArray:
    """Bar-aligned log returns: element i is ln(close[i] / close[i-1]); element 0 is NaN."""
    prices = as_float_array(close)
    if prices.size and np.any(prices <= 0):
        raise ValueError("prices must be positive to take log returns")
    out = np.full(prices.shape, np.nan)
    out[1:] = np.diff(np.log(prices))
    return out
