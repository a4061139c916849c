"""Intraday volatility from tick streams: exponentially weighted realised variance per unit time.

For ticks with prices p_i at times t_i (seconds of trading time), the estimate after tick n is

    annual variance = Σ w_i r_i² / Σ w_i Δt_i × seconds_per_year,  w_i = lam^(n−i),

with r_i = ln(p_i / p_{i−1}) and Δt_i = t_i − t_{i−1}: the realised variance of recent tick
returns divided by the time they span, scaled to a trading year (252 × 6.5 h by default). Irregular
tick spacing is handled because time, not tick count, is the denominator. Output: annualised vol.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from keel.volatility.returns import TRADING_SECONDS_PER_YEAR, FloatArray, as_float_array


def tick_lambda(half_life_ticks: float) -> float:
    """Decay per tick whose weights halve after `half_life_ticks` ticks."""
    return float(0.5 ** (1.0 / half_life_ticks))


def intraday_realised_vol(
    prices: npt.ArrayLike,
    times: npt.ArrayLike,
    half_life_ticks: float = 200.0,
    seconds_per_year: float = TRADING_SECONDS_PER_YEAR,
) -> FloatArray:
    """Tick-aligned annualised realised vol (element 0 is NaN); `times` in seconds, increasing."""
    p, t = as_float_array(prices), as_float_array(times)
    out = np.full(p.shape, np.nan)
    if p.size < 2:
        return out
    lam = tick_lambda(half_life_ticks)
    squared = np.diff(np.log(p)) ** 2
    elapsed = np.diff(t)
    if np.any(elapsed < 0):
        raise ValueError("tick times must not decrease")
    weighted_squares = np.asarray(lfilter([1.0], [1.0, -lam], squared))
    weighted_time = np.asarray(lfilter([1.0], [1.0, -lam], elapsed))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(weighted_time > 0, weighted_squares / weighted_time, np.nan)
    out[1:] = np.sqrt(rate * seconds_per_year)
    return out


class IntradayRealisedVol:
    """Streaming twin of intraday_realised_vol: ``update(price, time_seconds)``."""

    def __init__(
        self,
        half_life_ticks: float = 200.0,
        seconds_per_year: float = TRADING_SECONDS_PER_YEAR,
    ) -> None:
        self.lam = tick_lambda(half_life_ticks)
        self.seconds_per_year = seconds_per_year
        self.reset()

    def reset(self) -> None:
        self.value = float("nan")
        self.ticks_seen = 0
        self._weighted_squares = 0.0
        self._weighted_time = 0.0
        self._previous_price = float("nan")
        self._previous_time = float("nan")

    @property
    def ready(self) -> bool:
        return not math.isnan(self.value)

    @property
    def variance_rate(self) -> float:
        """Current variance of log returns per second of trading time (NaN before any time)."""
        if self._weighted_time <= 0:
            return float("nan")
        return self._weighted_squares / self._weighted_time

    def update(self, price: float, time_seconds: float) -> float:
        """Feed one tick; return the annualised realised vol after it (NaN until ready)."""
        self.ticks_seen += 1
        previous_price, previous_time = self._previous_price, self._previous_time
        self._previous_price, self._previous_time = price, time_seconds
        if math.isnan(previous_price):
            return self.value
        elapsed = time_seconds - previous_time
        if elapsed < 0:
            raise ValueError("tick times must not decrease")
        log_return = math.log(price / previous_price)
        self._weighted_squares = self.lam * self._weighted_squares + log_return * log_return
        self._weighted_time = self.lam * self._weighted_time + elapsed
        rate = self.variance_rate
        self.value = math.sqrt(rate * self.seconds_per_year) if not math.isnan(rate) else rate
        return self.value
