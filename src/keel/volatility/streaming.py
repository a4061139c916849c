"""Streaming volatility estimators: one bar at a time, equal to the batch functions.

Each object has ``update(...) -> float`` (the annualised vol after this bar, NaN until ready),
``value``, ``ready`` and ``reset()``. Close-based estimators take ``update(close)``; range-based
ones take ``update(open_, high, low, close)``. Every estimator also accepts
``update_bar(open_, high, low, close)`` so callers can drive any of them uniformly.
"""

from __future__ import annotations

import math
from collections import deque

from keel.volatility.estimators import GARMAN_KLASS_CLOSE_WEIGHT, LN2, yang_zhang_k
from keel.volatility.returns import TRADING_DAYS_PER_YEAR

NAN = float("nan")


def _annualise(variance: float, periods_per_year: float) -> float:
    return math.sqrt(max(variance, 0.0) * periods_per_year)


def _sample_variance(values: deque[float]) -> float:
    count = len(values)
    mean = math.fsum(values) / count
    return math.fsum((x - mean) ** 2 for x in values) / (count - 1)


class _Estimator:
    """Common state: the last output and the number of bars seen."""

    def __init__(self) -> None:
        self.value = NAN
        self.bars_seen = 0

    @property
    def ready(self) -> bool:
        """True once the estimator has produced a finite value."""
        return not math.isnan(self.value)

    def reset(self) -> None:
        self.value = NAN
        self.bars_seen = 0


class _CloseEstimator(_Estimator):
    """An estimator of close-to-close log returns."""

    def __init__(self) -> None:
        super().__init__()
        self._previous_close = NAN

    def reset(self) -> None:
        super().reset()
        self._previous_close = NAN

    def update(self, close: float) -> float:
        """Feed one close price; return the annualised vol after it (NaN until ready)."""
        self.bars_seen += 1
        previous, self._previous_close = self._previous_close, close
        if not math.isnan(previous):
            self.value = self._on_return(math.log(close / previous))
        return self.value

    def update_bar(self, open_: float, high: float, low: float, close: float) -> float:
        return self.update(close)

    def _on_return(self, log_return: float) -> float:
        raise NotImplementedError


class CloseToCloseVol(_CloseEstimator):
    """Rolling sample std of the last `window` log returns, annualised (see close_to_close_vol)."""

    def __init__(self, window: int = 21, periods_per_year: float = TRADING_DAYS_PER_YEAR) -> None:
        super().__init__()
        self.window = window
        self.periods_per_year = periods_per_year
        self._returns: deque[float] = deque(maxlen=window)

    def reset(self) -> None:
        super().reset()
        self._returns.clear()

    def _on_return(self, log_return: float) -> float:
        self._returns.append(log_return)
        if len(self._returns) < self.window:
            return NAN
        return _annualise(_sample_variance(self._returns), self.periods_per_year)


class EwmaVol(_CloseEstimator):
    """RiskMetrics EWMA vol with weights normalised over the history seen (see ewma_vol)."""

    def __init__(
        self,
        lam: float = 0.94,
        periods_per_year: float = TRADING_DAYS_PER_YEAR,
        min_periods: int = 1,
    ) -> None:
        super().__init__()
        self.lam = lam
        self.periods_per_year = periods_per_year
        self.min_periods = min_periods
        self._weighted_sum = 0.0
        self._weight = 0.0
        self._returns_seen = 0

    def reset(self) -> None:
        super().reset()
        self._weighted_sum = 0.0
        self._weight = 0.0
        self._returns_seen = 0

    @property
    def variance(self) -> float:
        """Current per-period variance of log returns (NaN before the first return)."""
        return self._weighted_sum / self._weight if self._weight else NAN

    def _on_return(self, log_return: float) -> float:
        self._weighted_sum = self.lam * self._weighted_sum + log_return * log_return
        self._weight = self.lam * self._weight + 1.0
        self._returns_seen += 1
        if self._returns_seen < self.min_periods:
            return NAN
        return _annualise(self.variance, self.periods_per_year)


class _RangeEstimator(_Estimator):
    """Rolling mean of a per-bar range variance over `window` bars."""

    def __init__(self, window: int = 21, periods_per_year: float = TRADING_DAYS_PER_YEAR) -> None:
        super().__init__()
        self.window = window
        self.periods_per_year = periods_per_year
        self._variances: deque[float] = deque(maxlen=window)

    def reset(self) -> None:
        super().reset()
        self._variances.clear()

    def update(self, open_: float, high: float, low: float, close: float) -> float:
        """Feed one OHLC bar; return the annualised vol after it (NaN until `window` bars)."""
        self.bars_seen += 1
        self._variances.append(self._bar_variance(open_, high, low, close))
        if len(self._variances) == self.window:
            mean = math.fsum(self._variances) / self.window
            self.value = _annualise(mean, self.periods_per_year)
        return self.value

    def update_bar(self, open_: float, high: float, low: float, close: float) -> float:
        return self.update(open_, high, low, close)

    def _bar_variance(self, open_: float, high: float, low: float, close: float) -> float:
        raise NotImplementedError


def rogers_satchell_bar(open_: float, high: float, low: float, close: float) -> float:
    """One bar's Rogers-Satchell variance."""
    return math.log(high / close) * math.log(high / open_) + math.log(low / close) * math.log(
        low / open_
    )


class ParkinsonVol(_RangeEstimator):
    """Streaming Parkinson vol (see parkinson_vol)."""

    def _bar_variance(self, open_: float, high: float, low: float, close: float) -> float:
        hl = math.log(high / low)
        return hl * hl / (4.0 * LN2)


class GarmanKlassVol(_RangeEstimator):
    """Streaming Garman-Klass vol, per-bar variance clamped at zero (see garman_klass_vol)."""

    def _bar_variance(self, open_: float, high: float, low: float, close: float) -> float:
        hl = math.log(high / low)
        co = math.log(close / open_)
        return max(0.5 * hl * hl - GARMAN_KLASS_CLOSE_WEIGHT * co * co, 0.0)


class RogersSatchellVol(_RangeEstimator):
    """Streaming Rogers-Satchell vol (see rogers_satchell_vol)."""

    def _bar_variance(self, open_: float, high: float, low: float, close: float) -> float:
        return rogers_satchell_bar(open_, high, low, close)


class YangZhangVol(_Estimator):
    """Streaming Yang-Zhang vol over `window` bars (see yang_zhang_vol)."""

    def __init__(self, window: int = 21, periods_per_year: float = TRADING_DAYS_PER_YEAR) -> None:
        super().__init__()
        self.window = window
        self.periods_per_year = periods_per_year
        self._k = yang_zhang_k(window)
        self._overnight: deque[float] = deque(maxlen=window)
        self._open_close: deque[float] = deque(maxlen=window)
        self._rs: deque[float] = deque(maxlen=window)
        self._previous_close = NAN

    def reset(self) -> None:
        super().reset()
        for buffer in (self._overnight, self._open_close, self._rs):
            buffer.clear()
        self._previous_close = NAN

    def update(self, open_: float, high: float, low: float, close: float) -> float:
        """Feed one OHLC bar; return the annualised vol after it (NaN until ready)."""
        self.bars_seen += 1
        previous, self._previous_close = self._previous_close, close
        if math.isnan(previous):
            return self.value
        self._overnight.append(math.log(open_ / previous))
        self._open_close.append(math.log(close / open_))
        self._rs.append(rogers_satchell_bar(open_, high, low, close))
        if len(self._rs) == self.window:
            variance = (
                _sample_variance(self._overnight)
                + self._k * _sample_variance(self._open_close)
                + (1.0 - self._k) * math.fsum(self._rs) / self.window
            )
            self.value = _annualise(variance, self.periods_per_year)
        return self.value

    def update_bar(self, open_: float, high: float, low: float, close: float) -> float:
        return self.update(open_, high, low, close)
