"""GARCH(1,1) volatility forecasts: parameters fitted with the `arch` package, then a recursion.

Units: `GarchParams` are in daily log-return units (mu per day, omega in return² per day);
forecasts are annualised one-step-ahead volatilities (0.20 = 20 % a year).

The fit is done on percentage returns (×100, better conditioned for the optimiser) with a constant
mean and normal errors, and converted back. Forecasting uses fixed parameters: after observing r_t,
σ²_{t+1} = ω + α (r_t − μ)² + β σ²_t, so the batch and streaming forms are the same causal
recursion. It starts from `GarchParams.initial_variance`: the unconditional variance
ω / (1 − α − β) of a stationary fit (α + β < 1), or, when the fit is integrated (α + β ≥ 1, e.g. the
optimiser stopping on its α + β ≤ 1 bound), which has no long-run variance, the sample variance of
the returns the parameters were fitted on (as known as the parameters themselves, so no later data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

from keel.volatility.returns import TRADING_DAYS_PER_YEAR, FloatArray, log_returns

PERCENT = 100.0


@dataclass(frozen=True)
class GarchParams:
    """GARCH(1,1) parameters in daily log-return units."""

    mu: float
    omega: float
    alpha: float
    beta: float
    sample_variance: float | None = None
    """Daily variance (about μ) of the returns the fit used; None for hand-made parameters."""

    @property
    def persistence(self) -> float:
        """α + β: how slowly a variance shock decays (< 1 for a stationary fit)."""
        return self.alpha + self.beta

    @property
    def stationary(self) -> bool:
        """True when α + β < 1, i.e. there is a finite long-run variance."""
        return self.persistence < 1.0

    @property
    def unconditional_variance(self) -> float:
        """Long-run daily variance ω / (1 − α − β); infinite for an integrated fit (α + β ≥ 1)."""
        if not self.stationary:
            return math.inf
        return self.omega / (1.0 - self.persistence)

    @property
    def initial_variance(self) -> float:
        """Daily variance the forecast recursion starts from: the long-run variance when the fit is
        stationary, else the sample variance of the fitted returns.

        Raises ValueError for integrated parameters that carry no sample variance.
        """
        if self.stationary:
            return self.unconditional_variance
        if self.sample_variance is None:
            raise ValueError(
                f"GARCH(1,1) with α + β = {self.persistence:.6f} ≥ 1 has no long-run variance; "
                "pass sample_variance to start the recursion from"
            )
        return self.sample_variance


def fit_garch(close: npt.ArrayLike) -> GarchParams:
    """Fit GARCH(1,1) (constant mean, normal errors) to the log returns of `close` with `arch`."""
    from arch import arch_model

    returns = log_returns(close)[1:]
    result = arch_model(
        PERCENT * returns, mean="Constant", vol="GARCH", p=1, q=1, dist="normal", rescale=False
    ).fit(disp="off")
    params = result.params
    mu = float(params["mu"]) / PERCENT
    return GarchParams(
        mu=mu,
        omega=float(params["omega"]) / PERCENT**2,
        alpha=float(params["alpha[1]"]),
        beta=float(params["beta[1]"]),
        sample_variance=float(np.mean((returns - mu) ** 2)),
    )


def garch_forecast_vol(
    close: npt.ArrayLike,
    params: GarchParams,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> FloatArray:
    """Bar-aligned annualised one-step-ahead GARCH vol: element t forecasts bar t+1 from bars ≤ t.

    Element 0 is NaN (no return seen yet).
    """
    returns = log_returns(close)
    out = np.full(returns.shape, np.nan)
    if returns.size < 2:
        return out
    shocks = (returns[1:] - params.mu) ** 2
    # σ²_{t+1} = ω + α ε²_t + β σ²_t is a first-order linear filter on ω + α ε²_t.
    drive = params.omega + params.alpha * shocks
    initial = params.beta * params.initial_variance
    forecast, _ = lfilter([1.0], [1.0, -params.beta], drive, zi=[initial])
    out[1:] = np.sqrt(np.asarray(forecast) * periods_per_year)
    return out


class GarchVol:
    """Streaming GARCH(1,1) forecast with fixed parameters (see garch_forecast_vol)."""

    def __init__(
        self, params: GarchParams, periods_per_year: float = TRADING_DAYS_PER_YEAR
    ) -> None:
        self.params = params
        self.periods_per_year = periods_per_year
        self.reset()

    def reset(self) -> None:
        self.value = float("nan")
        self.bars_seen = 0
        self.variance = self.params.initial_variance
        self._previous_close = float("nan")

    @property
    def ready(self) -> bool:
        return not math.isnan(self.value)

    def update(self, close: float) -> float:
        """Feed one close; return the annualised forecast vol for the next bar (NaN at first)."""
        self.bars_seen += 1
        previous, self._previous_close = self._previous_close, close
        if math.isnan(previous):
            return self.value
        shock = math.log(close / previous) - self.params.mu
        p = self.params
        self.variance = p.omega + p.alpha * shock * shock + p.beta * self.variance
        self.value = math.sqrt(self.variance * self.periods_per_year)
        return self.value

    def update_bar(self, open_: float, high: float, low: float, close: float) -> float:
        return self.update(close)
