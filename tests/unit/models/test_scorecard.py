"""Scorecard figures against independent implementations and hand-checked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

from keel.models.scorecard import (
    INSUFFICIENT,
    Group,
    calibration_table,
    group_figures,
    versus_always_up,
    wilson_interval,
)


@pytest.mark.parametrize(("wins", "trades"), [(0, 10), (7, 10), (163, 300), (2055, 3774)])
def test_wilson_interval_equals_statsmodels(wins: int, trades: int) -> None:
    expected = proportion_confint(wins, trades, alpha=0.05, method="wilson")
    assert wilson_interval(wins, trades) == pytest.approx(expected, abs=1e-12)


def test_no_trades_no_interval() -> None:
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


def test_mcnemar_counts_only_days_where_one_of_them_is_right() -> None:
    label = np.array([1, 1, 1, 0, 0, 0, 1, 0])
    model = np.array([0.6, 0.4, 0.4, 0.4, 0.4, 0.6, 0.6, 0.4])
    # always-up right on the 1s; model right on days 0, 3, 4, 6, 7; wrong on 1, 2, 5.
    result = versus_always_up(model, label)
    assert result["model_right_always_up_wrong"] == 3  # days 3, 4, 7
    assert result["always_up_right_model_wrong"] == 2  # days 1, 2
    assert result["p_value"] == pytest.approx(binomtest(3, 5, 0.5).pvalue)


def test_calibration_bins_hold_every_day() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(1000)
    y = (rng.random(1000) < p).astype(float)
    table = calibration_table(p, y)
    assert sum(row["days"] for row in table) == 1000
    assert len(table) == 10
    # Labels drawn with these probabilities: each bin's share of up days is near its mean.
    for row in table:
        assert abs(row["observed_up_pct"] - row["predicted_up_pct"]) < 15


def test_a_thin_group_says_insufficient_data() -> None:
    group = Group(np.full(40, 0.6), np.ones(40), np.full(40, 0.55))
    assert group_figures(group, min_days=100, compare=True) == {
        "days": 40,
        "status": INSUFFICIENT,
    }


def test_coverage_and_win_rate_follow_the_threshold() -> None:
    p = np.array([0.70, 0.62, 0.52, 0.30, 0.45, 0.56])
    y = np.array([1, 0, 1, 0, 1, 1])
    threshold = np.array([0.60, 0.60, 0.60, 0.65, 0.55, 0.55])
    figures = group_figures(Group(p, y, threshold), min_days=1, compare=True)
    # Taken: 0.70 (right), 0.62 (wrong), 0.30 → down at 0.70 ≥ 0.65 (right), 0.45 → down at
    # exactly its 0.55 (wrong), 0.56 (right); 0.52 is below its 0.60.
    assert figures["trades"] == 5
    assert figures["coverage_pct"] == pytest.approx(500 / 6)
    assert figures["win_rate_pct"] == pytest.approx(60.0)
    assert figures["accuracy_pct"] == pytest.approx(100 * 4 / 6)


def test_every_regime_target_fails_on_one_measured_miss_and_passes_only_when_all_measured() -> None:
    from keel.models.evaluation import _every_regime_result

    assert _every_regime_result({"LOW": 61.0, "NORMAL": 59.9}, 4) == "fail"
    assert _every_regime_result({"LOW": 61.0, "NORMAL": 60.0}, 4) == INSUFFICIENT
    assert (
        _every_regime_result({"LOW": 61.0, "NORMAL": 60.0, "HIGH": 70.0, "EXTREME": 65.0}, 4)
        == "pass"
    )
