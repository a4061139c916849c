"""Streaming estimators vectorised across symbols: state arrays of shape (n_symbols,).

Each ``update`` takes one observation per symbol (arrays of shape (n_symbols,)) and advances every
symbol's state with a handful of numpy operations, so a universe of symbols costs about as much
per step as one. Each class reproduces its scalar twin exactly (tests prove it):

* `VectorEwmaVol` ↔ `EwmaVol`;  `VectorIntradayVol` ↔ `IntradayRealisedVol`;
* `VectorRegimeClassifier` ↔ `ThresholdRegimeClassifier.classify_vol`;
* `VectorAnomalyDetector` ↔ `AnomalyDetector` (jumps; staleness in seconds instead of datetimes).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from keel.volatility.anomalies import AnomalyConfig
from keel.volatility.intraday import tick_lambda
from keel.volatility.regimes import HysteresisConfig
from keel.volatility.returns import TRADING_DAYS_PER_YEAR, TRADING_SECONDS_PER_YEAR

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class VectorEwmaVol:
    """EWMA vol of n symbols (weights normalised over history, as `EwmaVol`), annualised."""

    def __init__(
        self, n_symbols: int, lam: float = 0.94, periods_per_year: float = TRADING_DAYS_PER_YEAR
    ) -> None:
        self.n_symbols, self.lam, self.periods_per_year = n_symbols, lam, periods_per_year
        self.reset()

    def reset(self) -> None:
        self.weighted_sum = np.zeros(self.n_symbols)
        self.weight = np.zeros(self.n_symbols)
        self.previous = np.full(self.n_symbols, np.nan)
        self.value = np.full(self.n_symbols, np.nan)

    @property
    def ready(self) -> npt.NDArray[np.bool_]:
        return ~np.isnan(self.value)

    def update(self, prices: FloatArray) -> FloatArray:
        """Feed one price per symbol; return the annualised vols (NaN before the first return)."""
        log_return = np.log(prices / self.previous)
        seen = ~np.isnan(log_return)
        squared = np.where(seen, log_return * log_return, 0.0)
        self.weighted_sum = np.where(
            seen, self.lam * self.weighted_sum + squared, self.weighted_sum
        )
        self.weight = np.where(seen, self.lam * self.weight + 1.0, self.weight)
        self.previous = prices.astype(np.float64, copy=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.value = np.sqrt(self.weighted_sum / self.weight * self.periods_per_year)
        return self.value


class VectorIntradayVol:
    """Tick realised vol of n symbols (as `IntradayRealisedVol`); times in seconds."""

    def __init__(
        self,
        n_symbols: int,
        half_life_ticks: float = 200.0,
        seconds_per_year: float = TRADING_SECONDS_PER_YEAR,
    ) -> None:
        self.n_symbols = n_symbols
        self.lam = tick_lambda(half_life_ticks)
        self.seconds_per_year = seconds_per_year
        self.reset()

    def reset(self) -> None:
        self.weighted_squares = np.zeros(self.n_symbols)
        self.weighted_time = np.zeros(self.n_symbols)
        self.previous_price = np.full(self.n_symbols, np.nan)
        self.previous_time = np.full(self.n_symbols, np.nan)
        self.value = np.full(self.n_symbols, np.nan)

    def update(self, prices: FloatArray, times: FloatArray) -> FloatArray:
        """Feed one tick per symbol; return the annualised realised vols."""
        log_return = np.log(prices / self.previous_price)
        lam: FloatArray | float
        if np.isnan(log_return).any():  # first tick: nothing to difference yet
            seen = ~np.isnan(log_return)
            log_return = np.where(seen, log_return, 0.0)
            elapsed = np.where(seen, times - self.previous_time, 0.0)
            lam = np.where(seen, self.lam, 1.0)
        else:
            elapsed, lam = times - self.previous_time, self.lam
        self.weighted_squares = lam * self.weighted_squares + log_return * log_return
        self.weighted_time = lam * self.weighted_time + elapsed
        self.previous_price, self.previous_time = prices.copy(), times.copy()
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(
                self.weighted_time > 0, self.weighted_squares / self.weighted_time, np.nan
            )
        self.value = np.sqrt(rate * self.seconds_per_year)
        return self.value


class VectorRegimeClassifier:
    """The hysteresis state machine of `ThresholdRegimeClassifier` for n symbols at once.

    `regime` holds -1 for a symbol not yet classified, else the `Regime` value.
    """

    def __init__(self, n_symbols: int, config: HysteresisConfig | None = None) -> None:
        self.n_symbols = n_symbols
        self.config = config or HysteresisConfig()
        self.thresholds = np.asarray(self.config.thresholds, dtype=np.float64)
        # Indexed by regime + 1: nothing is calm before the first reading or at LOW.
        limits = [-np.inf, -np.inf, *(self.config.calm_fraction * self.thresholds)]
        self.calm_limits = np.asarray(limits, dtype=np.float64)
        self.reset()

    def reset(self) -> None:
        self.regime: IntArray = np.full(self.n_symbols, -1, dtype=np.int64)
        self.calm_count: IntArray = np.zeros(self.n_symbols, dtype=np.int64)

    def step(self, vol: FloatArray, fast_vol: FloatArray) -> IntArray:
        """Advance every symbol by one observation of annualised vols; return the regimes."""
        config = self.config
        ready = ~np.isnan(vol)
        target = np.searchsorted(self.thresholds, vol, side="right")
        fast_on = fast_vol >= config.fast_trigger
        target = np.where(fast_on, np.maximum(target, int(config.fast_regime)), target)
        escalate = ready & (target > self.regime)
        regime = np.where(escalate, target, self.regime)
        calm = ready & ~escalate & ~fast_on & (vol < self.calm_limits[regime + 1])
        counts = np.where(calm, self.calm_count + 1, np.where(ready, 0, self.calm_count))
        down = counts >= config.calm_run
        self.regime = regime - down
        self.calm_count = np.where(down, 0, counts)
        return self.regime


class VectorAnomalyDetector:
    """Jump and stale detection of `AnomalyDetector` for n symbols; times in seconds."""

    def __init__(self, n_symbols: int, config: AnomalyConfig | None = None) -> None:
        self.n_symbols = n_symbols
        self.config = config or AnomalyConfig()
        self.max_silence_seconds = self.config.max_silence.total_seconds()
        self.reset()

    def reset(self) -> None:
        self._ewma = VectorEwmaVol(self.n_symbols, self.config.ewma_lambda, periods_per_year=1.0)
        self.returns_seen: IntArray = np.zeros(self.n_symbols, dtype=np.int64)
        self.last_update = np.full(self.n_symbols, np.nan)

    def update(self, prices: FloatArray, times: FloatArray) -> npt.NDArray[np.bool_]:
        """Feed one price per symbol; return a mask of symbols whose move is a JUMP."""
        config = self.config
        sigma = self._ewma.value
        armed = self.returns_seen >= config.min_history
        scale = np.maximum(sigma, config.min_sigma)
        with np.errstate(invalid="ignore"):
            jumps = armed & (
                np.abs(np.log(prices / self._ewma.previous)) > config.jump_sigmas * scale
            )
        self.returns_seen += ~np.isnan(self._ewma.previous)
        self._ewma.update(prices)
        self.last_update = times.copy()
        return jumps

    def stale(self, now_seconds: float) -> npt.NDArray[np.bool_]:
        """Mask of symbols with no update for longer than `max_silence` at `now_seconds`."""
        with np.errstate(invalid="ignore"):
            return (now_seconds - self.last_update) > self.max_silence_seconds
