"""Acceptance 2 and 4: streaming equals batch on every SPX bar; reference figures."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.volatility import estimators as batch
from keel.volatility import streaming
from keel.volatility.garch import GarchVol, fit_garch, garch_forecast_vol

Batch = Callable[[pd.DataFrame], np.ndarray]
Stream = Callable[[], streaming._Estimator | GarchVol]


def _ohlc(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    return frame["Open"], frame["High"], frame["Low"], frame["Close"]


CASES: list[tuple[str, Batch, Stream]] = [
    ("close_to_close", lambda f: batch.close_to_close_vol(f["Close"]), streaming.CloseToCloseVol),
    ("ewma", lambda f: batch.ewma_vol(f["Close"]), streaming.EwmaVol),
    ("ewma_warmup", lambda f: batch.ewma_vol(f["Close"], 0.97, min_periods=30),
     lambda: streaming.EwmaVol(0.97, min_periods=30)),
    ("parkinson", lambda f: batch.parkinson_vol(f["High"], f["Low"]), streaming.ParkinsonVol),
    ("garman_klass", lambda f: batch.garman_klass_vol(*_ohlc(f)), streaming.GarmanKlassVol),
    ("rogers_satchell", lambda f: batch.rogers_satchell_vol(*_ohlc(f)),
     streaming.RogersSatchellVol),
    ("yang_zhang", lambda f: batch.yang_zhang_vol(*_ohlc(f)), streaming.YangZhangVol),
    ("yang_zhang_10", lambda f: batch.yang_zhang_vol(*_ohlc(f), window=10),
     lambda: streaming.YangZhangVol(10)),
]  # fmt: skip


def _stream(estimator: streaming._Estimator | GarchVol, frame: pd.DataFrame) -> np.ndarray:
    rows = frame[["Open", "High", "Low", "Close"]].to_numpy()
    return np.array([estimator.update_bar(*map(float, row)) for row in rows])


def _assert_equal_everywhere(expected: np.ndarray, got: np.ndarray) -> None:
    assert expected.shape == got.shape
    np.testing.assert_array_equal(np.isnan(expected), np.isnan(got))
    finite = ~np.isnan(expected)
    assert finite.sum() > 4900
    assert np.max(np.abs(expected[finite] - got[finite])) < 1e-10


@pytest.mark.parametrize(("name", "batch_fn", "make"), CASES, ids=[c[0] for c in CASES])
def test_streaming_equals_batch_on_every_spx_bar(
    spx: pd.DataFrame, name: str, batch_fn: Batch, make: Stream
) -> None:
    estimator = make()
    assert not estimator.ready
    _assert_equal_everywhere(batch_fn(spx), _stream(estimator, spx))
    assert estimator.ready
    estimator.reset()
    assert not estimator.ready and estimator.bars_seen == 0
    _assert_equal_everywhere(batch_fn(spx), _stream(estimator, spx))  # same after a reset


@pytest.fixture(scope="module")
def garch_params(spx: pd.DataFrame):  # type: ignore[no-untyped-def]
    return fit_garch(spx["Close"])


def test_garch_streaming_equals_batch(spx: pd.DataFrame, garch_params) -> None:  # type: ignore[no-untyped-def]
    expected = garch_forecast_vol(spx["Close"], garch_params)
    _assert_equal_everywhere(expected, _stream(GarchVol(garch_params), spx))


def test_garch_reference_parameters(garch_params) -> None:  # type: ignore[no-untyped-def]
    assert garch_params.alpha == pytest.approx(0.10, abs=0.01)
    assert garch_params.beta == pytest.approx(0.885, abs=0.01)
    assert garch_params.persistence < 1


def test_garch_recursion_matches_arch_after_burn_in(spx: pd.DataFrame, garch_params) -> None:  # type: ignore[no-untyped-def]
    from arch import arch_model

    returns = 100 * np.log(spx["Close"]).diff().dropna()
    fitted = arch_model(returns, mean="Constant", vol="GARCH", p=1, q=1).fit(disp="off")
    arch_sigma = fitted.conditional_volatility.to_numpy() / 100 * np.sqrt(252)
    ours = garch_forecast_vol(spx["Close"], garch_params)
    # ours[t] forecasts return t+1, which arch calls conditional_volatility of return t+1.
    # Returns are index-shifted by one bar (bar 0 has none), so bar t ↔ arch index t.
    gap = np.abs(ours[500:-1] - arch_sigma[500:])
    assert gap.max() < 1e-6


def test_reference_peaks(spx: pd.DataFrame) -> None:
    ewma = pd.Series(batch.ewma_vol(spx["Close"]), index=spx.index)
    assert ewma.max() == pytest.approx(0.79, abs=0.01)
    assert ewma.idxmax().strftime("%Y-%m") == "2008-10"
    assert ewma.idxmax().day >= 24  # the end of October
    close_to_close = pd.Series(batch.close_to_close_vol(spx["Close"]), index=spx.index)
    assert close_to_close.max() == pytest.approx(0.854, abs=0.01)


def test_garman_klass_is_clamped_at_zero() -> None:
    # An inconsistent bar (close outside the range) would give a negative raw variance.
    variance = batch.garman_klass_variance([100.0], [100.5], [99.5], [110.0])
    assert variance[0] == 0.0
    assert streaming.GarmanKlassVol(window=1).update(100.0, 100.5, 99.5, 110.0) == 0.0


def test_range_estimators_agree_in_order_of_magnitude(spx: pd.DataFrame) -> None:
    o, h, lo, c = _ohlc(spx)
    figures = {
        "parkinson": batch.parkinson_vol(h, lo),
        "garman_klass": batch.garman_klass_vol(o, h, lo, c),
        "rogers_satchell": batch.rogers_satchell_vol(o, h, lo, c),
        "yang_zhang": batch.yang_zhang_vol(o, h, lo, c),
    }
    reference = np.nanmedian(batch.close_to_close_vol(c))
    for name, vol in figures.items():
        assert 0.5 * reference < np.nanmedian(vol) < 1.5 * reference, name


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(st.floats(-0.08, 0.08), min_size=30, max_size=80),
    scale=st.floats(0.01, 1000.0),
)
def test_vol_is_invariant_to_price_scale(steps: list[float], scale: float) -> None:
    close = 100.0 * np.exp(np.cumsum(steps))
    for fn in (batch.ewma_vol, batch.close_to_close_vol):
        a, b = fn(close), fn(close * scale)
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)
        assert np.all(np.nan_to_num(a) >= 0)
