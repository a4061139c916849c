"""GARCH(1,1) when the fit is integrated (α + β ≥ 1): no long-run variance, so the forecast
recursion starts from the sample variance of the fitted returns instead of dividing by zero.

The classroom ticker INIT (simulated from the IXIC calibration, seed 7, as the server stores it)
lands on α + β = 1 when fitted on its bars before the 2008-09-01 replay start.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from keel.market.datasets import load_bundled
from keel.market.simulator import CLASSROOM, simulate_ticker
from keel.volatility.garch import GarchParams, GarchVol, fit_garch, garch_forecast_vol
from keel.volatility.returns import log_returns

REPLAY_START = pd.Timestamp("2008-09-01")


@pytest.fixture(scope="module")
def init_closes() -> np.ndarray:
    calendar = pd.DatetimeIndex(load_bundled("SPX").index)
    ticker = next(t for t in CLASSROOM if t.symbol == "INIT")
    frame = simulate_ticker(ticker, calendar, seed=7)
    return frame.loc[frame.index < REPLAY_START, "Close"].to_numpy(float)


def test_the_init_fit_is_integrated_and_starts_from_the_sample_variance(
    init_closes: np.ndarray,
) -> None:
    params = fit_garch(init_closes)
    assert not params.stationary and params.persistence == pytest.approx(1.0, abs=1e-9)
    returns = log_returns(init_closes)[1:]
    assert params.sample_variance == pytest.approx(np.mean((returns - params.mu) ** 2), rel=1e-12)
    assert params.unconditional_variance == math.inf
    assert params.initial_variance == params.sample_variance


def test_integrated_forecasts_are_finite_and_streaming_equals_batch(
    init_closes: np.ndarray,
) -> None:
    params = fit_garch(init_closes)
    batch = garch_forecast_vol(init_closes, params)
    assert np.isnan(batch[0]) and np.isfinite(batch[1:]).all()
    assert (batch[1:] > 0).all()
    streaming = GarchVol(params)
    streamed = np.array([streaming.update(float(c)) for c in init_closes])
    assert np.max(np.abs(streamed[1:] - batch[1:])) < 1e-10
    # The first forecast is one step of the recursion from the sample variance.
    shock = math.log(init_closes[1] / init_closes[0]) - params.mu
    first = params.omega + params.alpha * shock**2 + params.beta * params.initial_variance
    assert batch[1] == pytest.approx(math.sqrt(first * 252), rel=1e-12)


@pytest.mark.parametrize(
    ("alpha", "beta", "sample_variance", "expected_start"),
    [
        (0.10, 0.85, None, 1e-6 / 0.05),  # stationary: ω / (1 − α − β)
        (0.10, 0.85, 4e-4, 1e-6 / 0.05),  # stationary: the sample variance is not used
        (0.10, 0.90, 4e-4, 4e-4),  # integrated: the sample variance
        (0.20, 0.85, 2.5e-4, 2.5e-4),  # explosive fit: the sample variance too
    ],
)
def test_initial_variance(
    alpha: float, beta: float, sample_variance: float | None, expected_start: float
) -> None:
    params = GarchParams(1e-4, 1e-6, alpha, beta, sample_variance)
    assert params.initial_variance == pytest.approx(expected_start, rel=1e-12)
    assert GarchVol(params).variance == pytest.approx(expected_start, rel=1e-12)


def test_integrated_parameters_without_a_sample_variance_are_refused() -> None:
    params = GarchParams(1e-4, 1e-6, 0.1, 0.9)
    assert params.unconditional_variance == math.inf
    with pytest.raises(ValueError, match="no long-run variance"):
        GarchVol(params)
    with pytest.raises(ValueError, match="no long-run variance"):
        garch_forecast_vol(np.array([100.0, 101.0, 99.5]), params)


def test_the_spx_fit_is_stationary_and_starts_at_its_long_run_variance(spx: pd.DataFrame) -> None:
    params = fit_garch(spx["Close"])
    assert params.stationary
    assert params.initial_variance == pytest.approx(params.omega / (1 - params.persistence))
    assert params.sample_variance is not None
    # The long-run and the sample variance of SPX 1999–2018 agree within a quarter.
    assert params.initial_variance == pytest.approx(params.sample_variance, rel=0.25)
