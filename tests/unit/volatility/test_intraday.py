"""The intraday (tick) realised-volatility estimator."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.volatility.intraday import IntradayRealisedVol, intraday_realised_vol
from keel.volatility.returns import TRADING_SECONDS_PER_YEAR


def _ticks(seed: int, n: int, annual_vol: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(2.0, n)  # irregular spacing, 2 s on average
    times = np.cumsum(gaps)
    steps = rng.standard_normal(n) * annual_vol * np.sqrt(gaps / TRADING_SECONDS_PER_YEAR)
    return 100.0 * np.exp(np.cumsum(steps)), times


def test_streaming_equals_batch_on_every_tick() -> None:
    prices, times = _ticks(7, 20_000, 0.25)
    expected = intraday_realised_vol(prices, times)
    estimator = IntradayRealisedVol()
    got = np.array([estimator.update(p, t) for p, t in zip(prices, times, strict=True)])
    assert np.isnan(expected[0]) and np.isnan(got[0])
    assert np.max(np.abs(expected[1:] - got[1:])) < 1e-10
    estimator.reset()
    assert not estimator.ready


def test_recovers_the_simulated_annual_volatility() -> None:
    for annual_vol in (0.10, 0.40):
        prices, times = _ticks(11, 50_000, annual_vol)
        vol = intraday_realised_vol(prices, times, half_life_ticks=5_000)
        assert abs(vol[-1] / annual_vol - 1) < 0.1


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), factor=st.floats(0.1, 100.0))
def test_vol_does_not_depend_on_the_unit_of_price(seed: int, factor: float) -> None:
    prices, times = _ticks(seed, 300, 0.2)
    a = intraday_realised_vol(prices, times)
    b = intraday_realised_vol(prices * factor, times)
    # Rescaled prices give log returns equal up to float rounding (~1e-16 each), so a vol near
    # zero (one tiny return) may differ by 1e-9 relative while only ~1e-12 absolute.
    np.testing.assert_allclose(a[1:], b[1:], rtol=1e-9, atol=1e-10)
