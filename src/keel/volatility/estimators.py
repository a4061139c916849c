"""Batch volatility estimators: arrays of prices in, a bar-aligned array of annualised vol out.

Every function returns an array as long as its input; element i is the estimate using bars up to
and including i (never later ones), NaN until enough bars have been seen. Output unit: annualised
volatility of log returns (0.20 = 20 % a year), scaled by `periods_per_year` (252 for daily bars).
The streaming twins in `keel.volatility.streaming` return the same numbers one bar at a time.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from keel.volatility.returns import TRADING_DAYS_PER_YEAR, FloatArray, as_float_array, log_returns

LN2 = float(np.log(2.0))
GARMAN_KLASS_CLOSE_WEIGHT = 2.0 * LN2 - 1.0


def _annualise(variance: FloatArray, periods_per_year: float) -> FloatArray:
    return np.sqrt(np.maximum(variance, 0.0) * periods_per_year)


def close_to_close_vol(
    close: npt.ArrayLike, window: int = 21, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> FloatArray:
    """Rolling sample standard deviation (ddof=1) of the last `window` log returns, annualised."""
    returns = pd.Series(log_returns(close))
    variance = returns.rolling(window, min_periods=window).var(ddof=1).to_numpy()
    return _annualise(variance, periods_per_year)


def ewma_vol(
    close: npt.ArrayLike,
    lam: float = 0.94,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
    min_periods: int = 1,
) -> FloatArray:
    """RiskMetrics EWMA volatility with decay `lam`, annualised.

    variance_t = Σ_{i<t'} lam^i r²_{t-i} / Σ lam^i over the returns seen so far, i.e. the weights
    are normalised over the available history (pandas ``ewm(adjust=True)``). No seed is needed: the
    first value is |r_1|·√periods and the start's influence decays as lam^t. After the warm-up this
    is the usual recursion variance_t = lam·variance_{t-1} + (1-lam)·r²_t.
    """
    squared = pd.Series(log_returns(close)) ** 2
    variance = squared.ewm(alpha=1.0 - lam, adjust=True, min_periods=min_periods).mean()
    return _annualise(variance.to_numpy(), periods_per_year)


def parkinson_variance(high: npt.ArrayLike, low: npt.ArrayLike) -> FloatArray:
    """Per-bar Parkinson variance (ln(H/L))² / (4 ln 2), in log-return² per bar."""
    hl = np.log(as_float_array(high) / as_float_array(low))
    return hl * hl / (4.0 * LN2)


def garman_klass_variance(
    open_: npt.ArrayLike, high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike
) -> FloatArray:
    """Per-bar Garman-Klass variance ½(ln H/L)² − (2 ln 2 − 1)(ln C/O)², clamped at zero."""
    hl = np.log(as_float_array(high) / as_float_array(low))
    co = np.log(as_float_array(close) / as_float_array(open_))
    return np.maximum(0.5 * hl * hl - GARMAN_KLASS_CLOSE_WEIGHT * co * co, 0.0)


def rogers_satchell_variance(
    open_: npt.ArrayLike, high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike
) -> FloatArray:
    """Per-bar Rogers-Satchell variance ln(H/C)·ln(H/O) + ln(L/C)·ln(L/O) (drift-free)."""
    o, h, lo, c = (as_float_array(x) for x in (open_, high, low, close))
    return np.log(h / c) * np.log(h / o) + np.log(lo / c) * np.log(lo / o)


def _rolling_mean_vol(per_bar: FloatArray, window: int, periods_per_year: float) -> FloatArray:
    mean = pd.Series(per_bar).rolling(window, min_periods=window).mean().to_numpy()
    return _annualise(mean, periods_per_year)


def parkinson_vol(
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    window: int = 21,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> FloatArray:
    """Parkinson high-low volatility: rolling mean of per-bar variance over `window` bars."""
    return _rolling_mean_vol(parkinson_variance(high, low), window, periods_per_year)


def garman_klass_vol(
    open_: npt.ArrayLike,
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    window: int = 21,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> FloatArray:
    """Garman-Klass volatility: rolling mean of the clamped per-bar variance, annualised."""
    per_bar = garman_klass_variance(open_, high, low, close)
    return _rolling_mean_vol(per_bar, window, periods_per_year)


def rogers_satchell_vol(
    open_: npt.ArrayLike,
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    window: int = 21,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> FloatArray:
    """Rogers-Satchell volatility: rolling mean of per-bar variance, annualised."""
    per_bar = rogers_satchell_variance(open_, high, low, close)
    return _rolling_mean_vol(per_bar, window, periods_per_year)


def yang_zhang_k(window: int) -> float:
    """Yang-Zhang weight k = 0.34 / (1.34 + (n+1)/(n-1)) for a window of n bars."""
    return 0.34 / (1.34 + (window + 1) / (window - 1))


def yang_zhang_vol(
    open_: npt.ArrayLike,
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    window: int = 21,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> FloatArray:
    """Yang-Zhang volatility over `window` bars, annualised.

    σ² = σ²_overnight + k·σ²_open-to-close + (1−k)·σ²_RS, where the first two are sample
    variances (ddof=1) of ln(O_t/C_{t−1}) and ln(C_t/O_t) and σ²_RS the mean Rogers-Satchell
    variance. Needs the previous close, so the first value is at bar `window`.
    """
    o, c = as_float_array(open_), as_float_array(close)
    overnight = np.full(o.shape, np.nan)
    overnight[1:] = np.log(o[1:] / c[:-1])
    open_close = np.log(c / o)
    open_close[0] = np.nan
    rs = rogers_satchell_variance(o, high, low, c)
    rs[0] = np.nan
    k = yang_zhang_k(window)
    var_overnight = pd.Series(overnight).rolling(window, min_periods=window).var(ddof=1).to_numpy()
    var_open_close = (
        pd.Series(open_close).rolling(window, min_periods=window).var(ddof=1).to_numpy()
    )
    mean_rs = pd.Series(rs).rolling(window, min_periods=window).mean().to_numpy()
    variance = var_overnight + k * var_open_close + (1.0 - k) * mean_rs
    return _annualise(variance, periods_per_year)
