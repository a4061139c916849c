"""Alternative regime classifiers behind the `RegimeClassifier` interface.

* `PercentileRegimeClassifier`: the default hysteresis rule, but each day's thresholds are
  quantiles of the EWMA vols of the trailing `window` days *before* it (adapts to the era).
* `MarkovRegimeClassifier`: a Markov-switching model of daily returns (statsmodels
  `MarkovRegression`, switching mean and variance), refitted on an expanding window at most every
  `refit_every` observations and run in between as a one-step Hamilton filter with fixed
  parameters. The label moves to another state only when that state's filtered probability
  reaches `switch_probability` (a probability band against flapping). Only filtered probabilities P(state_t | r_1..r_t) are used: never smoothed
  probabilities or Viterbi paths, which look ahead.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections import deque
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from keel.domain.enums import Regime
from keel.volatility.calibration import DEFAULT_QUANTILES
from keel.volatility.regimes import (
    HysteresisConfig,
    HysteresisMachine,
    RegimeReading,
    band_confidence,
    warming_up,
)
from keel.volatility.returns import TRADING_DAYS_PER_YEAR
from keel.volatility.streaming import EwmaVol


def _quantile_sorted(values: list[float], q: float) -> float:
    """Linear-interpolation quantile of an already sorted list (numpy's default method)."""
    position = q * (len(values) - 1)
    below = math.floor(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


class PercentileRegimeClassifier:
    """Hysteresis on EWMA vol against trailing-window quantile thresholds."""

    def __init__(
        self,
        config: HysteresisConfig | None = None,
        quantiles: tuple[float, float, float] = DEFAULT_QUANTILES,
        window: int = 1260,
        min_history: int = 252,
    ) -> None:
        self.config = config or HysteresisConfig()
        self.quantiles = quantiles
        self.window = window
        self.min_history = min_history
        self._ewma = EwmaVol(self.config.ewma_lambda, self.config.periods_per_year)
        self._fast = EwmaVol(self.config.fast_lambda, self.config.periods_per_year)
        self._machine = HysteresisMachine(self.config)
        self._history: deque[float] = deque()
        self._sorted: list[float] = []

    def reset(self) -> None:
        self._ewma.reset()
        self._fast.reset()
        self._machine.reset()
        self._history.clear()
        self._sorted.clear()

    def _remember(self, vol: float) -> None:
        self._history.append(vol)
        bisect.insort(self._sorted, vol)
        if len(self._history) > self.window:
            oldest = self._history.popleft()
            del self._sorted[bisect.bisect_left(self._sorted, oldest)]

    def classify(self, close: float) -> RegimeReading:
        """Classify against quantiles of the vols of earlier days only (today's excluded)."""
        vol = self._ewma.update(close)
        fast_vol = self._fast.update(close)
        if math.isnan(vol):
            return warming_up()
        if len(self._history) < self.min_history:
            self._remember(vol)
            return warming_up({"ewma_vol": vol, "history": float(len(self._history))})
        low, high, extreme = (_quantile_sorted(self._sorted, q) for q in self.quantiles)
        thresholds = (low, high, extreme)
        self._remember(vol)
        regime, reason = self._machine.step(vol, fast_vol, thresholds)
        figures = {
            "ewma_vol": vol,
            "fast_vol": fast_vol,
            "threshold_normal": low,
            "threshold_high": high,
            "threshold_extreme": extreme,
            "calm_count": float(self._machine.calm_count),
        }
        return RegimeReading(regime, band_confidence(vol, regime, thresholds), figures, reason)


STATE_REGIMES: dict[int, tuple[Regime, ...]] = {
    2: (Regime.NORMAL, Regime.HIGH),
    3: (Regime.LOW, Regime.NORMAL, Regime.HIGH),
    4: (Regime.LOW, Regime.NORMAL, Regime.HIGH, Regime.EXTREME),
}
"""Regimes of the Markov states ranked by variance, per number of states."""

PERCENT = 100.0


@dataclass(frozen=True)
class MarkovFit:
    """Fitted Markov-switching parameters in percent daily returns, states ranked by variance."""

    transition: npt.NDArray[np.float64]  # [to, from]
    means: npt.NDArray[np.float64]
    variances: npt.NDArray[np.float64]
    fitted_on: int


def fit_markov(
    returns_percent: npt.NDArray[np.float64], k_regimes: int
) -> tuple[MarkovFit, npt.NDArray[np.float64]]:
    """Fit MarkovRegression; return the ranked fit and the filtered probabilities of the last day."""
    from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

    model = MarkovRegression(
        returns_percent, k_regimes=k_regimes, trend="c", switching_variance=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(disp=False)
    named = dict(zip(model.param_names, np.asarray(result.params), strict=True))
    means = np.array([named[f"const[{s}]"] for s in range(k_regimes)])
    variances = np.array([named[f"sigma2[{s}]"] for s in range(k_regimes)])
    transition = np.asarray(model.regime_transition_matrix(result.params))[:, :, 0]
    order = np.argsort(variances)
    filtered = np.asarray(result.filtered_marginal_probabilities)[-1]
    fit = MarkovFit(
        transition=transition[np.ix_(order, order)],
        means=means[order],
        variances=variances[order],
        fitted_on=len(returns_percent),
    )
    return fit, filtered[order]


class MarkovRegimeClassifier:
    """Causal Markov-switching classifier: filtered probabilities, expanding-window refits."""

    def __init__(
        self,
        k_regimes: int = 2,
        min_train: int = 500,
        refit_every: int = 250,
        switch_probability: float = 0.9,
        periods_per_year: float = TRADING_DAYS_PER_YEAR,
    ) -> None:
        if k_regimes not in STATE_REGIMES:
            raise ValueError(f"k_regimes must be one of {sorted(STATE_REGIMES)}")
        self.k_regimes = k_regimes
        self.min_train = min_train
        self.refit_every = refit_every
        self.switch_probability = switch_probability
        self.periods_per_year = periods_per_year
        self.reset()

    def reset(self) -> None:
        self._returns: list[float] = []
        self._previous_close = float("nan")
        self.fit: MarkovFit | None = None
        self._filtered: npt.NDArray[np.float64] | None = None
        self._state: int | None = None

    def _refit(self) -> bool:
        """Refit on every return seen so far; False (keeping the old fit) if the fit fails."""
        try:
            self.fit, self._filtered = fit_markov(np.array(self._returns), self.k_regimes)
        except (ValueError, np.linalg.LinAlgError):
            return False  # a failed refit must not stop the feed
        return True

    def _filter_step(self, fit: MarkovFit, prior: npt.NDArray[np.float64], value: float) -> None:
        predicted = fit.transition @ prior
        density = np.exp(-0.5 * (value - fit.means) ** 2 / fit.variances) / np.sqrt(
            2.0 * np.pi * fit.variances
        )
        joint = predicted * density
        total = float(joint.sum())
        self._filtered = joint / total if total > 0 else predicted

    def classify(self, close: float) -> RegimeReading:
        """Classify from the filtered state probabilities after this bar's return."""
        previous, self._previous_close = self._previous_close, close
        if math.isnan(previous):
            return warming_up()
        value = PERCENT * math.log(close / previous)
        self._returns.append(value)
        seen = len(self._returns)
        due = self.fit is None or seen - self.fit.fitted_on >= self.refit_every
        refitted = seen >= self.min_train and due and self._refit()
        if not refitted and self.fit is not None and self._filtered is not None:
            self._filter_step(self.fit, self._filtered, value)
        if self.fit is None or self._filtered is None:
            return warming_up({"returns_seen": float(seen)})
        likeliest = int(np.argmax(self._filtered))
        if self._state is None or self._filtered[likeliest] >= self.switch_probability:
            self._state = likeliest
        state = self._state
        regime = STATE_REGIMES[self.k_regimes][state]
        annual = np.sqrt(self.fit.variances * self.periods_per_year) / PERCENT
        figures = {f"p_state_{s}": float(p) for s, p in enumerate(self._filtered)}
        figures.update({f"vol_state_{s}": float(v) for s, v in enumerate(annual)})
        figures["fitted_on"] = float(self.fit.fitted_on)
        reason = f"state {state} ({regime.name}, {annual[state]:.1%} vol) at p={self._filtered[state]:.2f}"
        return RegimeReading(regime, float(self._filtered[state]), figures, reason)
