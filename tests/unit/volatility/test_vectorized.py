"""The vectorised cross-symbol path reproduces the scalar objects exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from keel.volatility.anomalies import AnomalyConfig, AnomalyDetector, AnomalyKind
from keel.volatility.intraday import IntradayRealisedVol
from keel.volatility.regimes import HysteresisConfig, ThresholdRegimeClassifier
from keel.volatility.streaming import EwmaVol
from keel.volatility.vectorized import (
    VectorAnomalyDetector,
    VectorEwmaVol,
    VectorIntradayVol,
    VectorRegimeClassifier,
)

N_SYMBOLS, N_STEPS = 8, 2_000
EPOCH = datetime(2024, 1, 2, tzinfo=UTC)
ULP_TOLERANCE = 1e-13  # numpy's vectorised log may differ from math.log in the last bit


@pytest.fixture(scope="module")
def ticks() -> tuple[np.ndarray, np.ndarray]:
    """Prices (steps, symbols) with volatility bursts and jumps, and tick times in seconds."""
    rng = np.random.default_rng(42)
    regime_vol = np.where((np.arange(N_STEPS) // 500) % 2 == 1, 0.6, 0.12)[:, None]
    gaps = rng.uniform(0.5, 1.5, (N_STEPS, N_SYMBOLS))
    step_sd = regime_vol * np.sqrt(gaps / (252 * 6.5 * 3600))
    steps = rng.standard_normal((N_STEPS, N_SYMBOLS)) * step_sd * rng.uniform(0.5, 2, N_SYMBOLS)
    steps[rng.random((N_STEPS, N_SYMBOLS)) < 0.002] += 0.01  # occasional jumps
    return 50.0 * np.exp(np.cumsum(steps, axis=0)), np.cumsum(gaps, axis=0)


def test_vector_ewma_equals_scalar(ticks: tuple[np.ndarray, np.ndarray]) -> None:
    prices, _ = ticks
    vector = VectorEwmaVol(N_SYMBOLS, 0.97)
    scalars = [EwmaVol(0.97) for _ in range(N_SYMBOLS)]
    for row in prices:
        got = vector.update(row)
        expected = [s.update(float(p)) for s, p in zip(scalars, row, strict=True)]
        np.testing.assert_allclose(got, expected, rtol=ULP_TOLERANCE)


def test_vector_pipeline_equals_scalar(ticks: tuple[np.ndarray, np.ndarray]) -> None:
    prices, times = ticks
    config = HysteresisConfig(calm_run=50)
    slow, fast = VectorIntradayVol(N_SYMBOLS, 200), VectorIntradayVol(N_SYMBOLS, 20)
    classifier = VectorRegimeClassifier(N_SYMBOLS, config)
    anomaly_config = AnomalyConfig(max_silence=timedelta(seconds=1.2))
    detector = VectorAnomalyDetector(N_SYMBOLS, anomaly_config)
    scalar_slow = [IntradayRealisedVol(200) for _ in range(N_SYMBOLS)]
    scalar_fast = [IntradayRealisedVol(20) for _ in range(N_SYMBOLS)]
    scalar_classifiers = [ThresholdRegimeClassifier(config) for _ in range(N_SYMBOLS)]
    scalar_detectors = [AnomalyDetector(anomaly_config) for _ in range(N_SYMBOLS)]
    regimes_seen, jumps_seen, stale_seen = set(), 0, 0
    for row, stamp in zip(prices, times, strict=True):
        vol, fast_vol = slow.update(row, stamp), fast.update(row, stamp)
        regimes = classifier.step(vol, fast_vol)
        jumps = detector.update(row, stamp)
        now = float(stamp.max()) + 0.5
        stale = detector.stale(now)
        for i in range(N_SYMBOLS):
            price, at = float(row[i]), EPOCH + timedelta(seconds=float(stamp[i]))
            expected_vol = scalar_slow[i].update(price, float(stamp[i]))
            expected_fast = scalar_fast[i].update(price, float(stamp[i]))
            np.testing.assert_allclose(vol[i], expected_vol, rtol=ULP_TOLERANCE)
            np.testing.assert_allclose(fast_vol[i], expected_fast, rtol=ULP_TOLERANCE)
            if not np.isnan(expected_vol):
                reading = scalar_classifiers[i].classify_vol(expected_vol, expected_fast)
                assert regimes[i] == reading.regime
                assert classifier.calm_count[i] == scalar_classifiers[i].calm_count
            events = scalar_detectors[i].update(price, at=at)
            assert jumps[i] == any(e.kind is AnomalyKind.JUMP for e in events)
            stale_event = scalar_detectors[i].check_stale(EPOCH + timedelta(seconds=now))
            assert stale[i] == (stale_event is not None)
        regimes_seen |= set(regimes.tolist())
        jumps_seen += int(jumps.sum())
        stale_seen += int(stale.sum())
    # The stream exercised every branch that the comparison is meant to cover.
    assert {1, 2} <= regimes_seen
    assert jumps_seen > 0 and stale_seen > 0
