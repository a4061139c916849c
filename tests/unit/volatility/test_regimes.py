"""Acceptance 5–7: crisis coverage, detection speed and no flapping on SPX 1999–2018."""

from __future__ import annotations

import pandas as pd
import pytest

from keel.domain.enums import Regime
from keel.volatility.calibration import (
    RegimeMetrics,
    calibrate_thresholds,
    classify_history,
    naive_labels,
    regime_metrics,
)
from keel.volatility.regimes import (
    DEFAULT_THRESHOLDS,
    HysteresisConfig,
    ThresholdRegimeClassifier,
    band_confidence,
    target_regime,
)
from keel.volatility.regimes_alt import MarkovRegimeClassifier, PercentileRegimeClassifier

MINIMUM_COVERAGE = {
    "2008 crash": 0.95,
    "2011 downgrade": 1.0,
    "2015 flash crash": 0.80,
    "2018 Volmageddon": 0.70,
}


@pytest.fixture(scope="module")
def default_metrics(spx: pd.DataFrame) -> RegimeMetrics:
    labels, _ = classify_history(spx, ThresholdRegimeClassifier())
    return regime_metrics(labels)


@pytest.mark.parametrize(("window", "minimum"), MINIMUM_COVERAGE.items())
def test_crisis_coverage(default_metrics: RegimeMetrics, window: str, minimum: float) -> None:
    assert default_metrics.coverage[window] >= minimum


def test_never_high_in_2017(default_metrics: RegimeMetrics) -> None:
    assert default_metrics.coverage["2017 calm"] == 0.0


@pytest.mark.parametrize("day", ["2015-08-24", "2018-02-05"])
def test_high_within_two_trading_days(default_metrics: RegimeMetrics, day: str) -> None:
    lag = default_metrics.detection_lag_days[day]
    assert lag is not None and lag <= 2


def test_no_flapping(default_metrics: RegimeMetrics) -> None:
    assert default_metrics.switches_per_year <= 6
    assert default_metrics.short_run_share <= 0.10
    assert default_metrics.switches >= 20  # it does move with the market


def test_naive_thresholds_flap_as_the_issue_states(spx: pd.DataFrame) -> None:
    naive = regime_metrics(naive_labels(spx, (0.12, 0.20, 0.30)))
    assert round(naive.switches_per_year, 1) == 14.4
    assert round(naive.short_run_share, 3) == 0.367


def test_calibration_reproduces_the_default_thresholds(spx: pd.DataFrame) -> None:
    assert calibrate_thresholds(spx["Close"]) == DEFAULT_THRESHOLDS


def test_readings_carry_figures_and_reason(spx: pd.DataFrame) -> None:
    _, readings = classify_history(spx.loc[:"2008-10-28"], ThresholdRegimeClassifier())
    last = readings[-1]
    assert last.regime == Regime.EXTREME
    assert last.figures["ewma_vol"] > DEFAULT_THRESHOLDS[2]
    assert 0.5 <= last.confidence <= 1.0
    assert "EXTREME" in last.reason


def test_alternatives_cover_the_2008_crash(spx: pd.DataFrame) -> None:
    history = spx.loc["2003":"2009"]
    for classifier in (PercentileRegimeClassifier(), MarkovRegimeClassifier(min_train=750)):
        labels, _ = classify_history(history, classifier)
        window = labels.loc["2008-09-15":"2009-03-09"]
        assert (window >= Regime.HIGH).mean() >= 0.9, type(classifier).__name__
        assert (labels.loc["2005"] >= Regime.HIGH).mean() <= 0.1, type(classifier).__name__


CONFIG = HysteresisConfig(thresholds=(0.10, 0.20, 0.40), calm_fraction=0.9, calm_run=3,
                          fast_trigger=0.5)  # fmt: skip

# (vol, fast vol, expected regime after the observation)
SCENARIO = [
    (0.15, 0.15, Regime.NORMAL),  # starts where the vol is
    (0.45, 0.45, Regime.EXTREME),  # escalates at once, skipping HIGH
    (0.38, 0.30, Regime.EXTREME),  # not calm: 0.38 ≥ 0.9 × 0.40
    (0.35, 0.30, Regime.EXTREME),  # calm 1
    (0.35, 0.30, Regime.EXTREME),  # calm 2
    (0.35, 0.30, Regime.HIGH),  # calm 3: one step down only
    (0.05, 0.05, Regime.HIGH),  # calm 1 (far below, still one step at a time)
    (0.19, 0.19, Regime.HIGH),  # 0.19 ≥ 0.18: the calm run restarts
    (0.10, 0.60, Regime.HIGH),  # the fast trigger holds HIGH (and is not calm)
    (0.10, 0.10, Regime.HIGH),
    (0.10, 0.10, Regime.HIGH),
    (0.10, 0.10, Regime.NORMAL),
    (0.08, 0.55, Regime.HIGH),  # the fast trigger escalates from NORMAL to HIGH
]


def test_hysteresis_scenario() -> None:
    classifier = ThresholdRegimeClassifier(CONFIG)
    got = [classifier.classify_vol(vol, fast).regime for vol, fast, _ in SCENARIO]
    assert got == [expected for _, _, expected in SCENARIO]


@pytest.mark.parametrize(
    ("vol", "expected"),
    [(0.05, Regime.LOW), (0.10, Regime.NORMAL), (0.199, Regime.NORMAL), (0.2, Regime.HIGH),
     (0.4, Regime.EXTREME), (2.0, Regime.EXTREME)],
)  # fmt: skip
def test_target_regime_boundaries(vol: float, expected: Regime) -> None:
    assert target_regime(vol, (0.10, 0.20, 0.40)) == expected


def test_confidence_is_half_at_a_boundary_and_grows_inside() -> None:
    thresholds = (0.10, 0.20, 0.40)
    assert band_confidence(0.20, Regime.HIGH, thresholds) == pytest.approx(0.5)
    assert band_confidence(0.28, Regime.HIGH, thresholds) > 0.5
    assert band_confidence(0.15, Regime.HIGH, thresholds) < 0.5  # held by hysteresis
    assert band_confidence(5.0, Regime.EXTREME, thresholds) == 1.0
