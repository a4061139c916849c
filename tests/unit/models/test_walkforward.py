"""The walk-forward on real SPX history: no window sees later data; the hybrid's signal explains
itself and falls back to the classical members when the circuit is over its latency budget."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from keel.backtest.parallel import SerialExecutor
from keel.domain.enums import Regime
from keel.models.circuit import CircuitConfig
from keel.models.features import MODEL_FEATURES, build_dataset
from keel.models.latest import fit_latest
from keel.models.walkforward import EvaluationConfig, WalkForward, run_walk_forward

CONFIG = EvaluationConfig(
    first_validation="2002-01-01",
    first_test="2003-01-01",
    circuit=CircuitConfig(steps=5, batch=64),
    min_regime_days=60,
)


@pytest.fixture(scope="module")
def walk(spx: pd.DataFrame) -> WalkForward:
    return run_walk_forward(build_dataset("SPX", spx.loc[:"2004-12-31"]), CONFIG)


def test_predictions_before_a_cut_ignore_every_bar_after_it(
    spx: pd.DataFrame, walk: WalkForward
) -> None:
    cut = "2003-12-31"
    short = run_walk_forward(build_dataset("SPX", spx.loc[:cut]), CONFIG, executor=SerialExecutor())
    days = len(short.index)
    scored = walk.scored()[:days]
    assert scored.sum() > 200  # 2003 is scored
    for name, values in short.predictions.items():
        np.testing.assert_array_equal(
            values[:days][scored[: len(values)]], walk.predictions[name][:days][scored], name
        )


def test_every_model_predicts_every_scored_day(walk: WalkForward) -> None:
    scored = walk.scored()
    tested = (walk.index >= pd.Timestamp("2003-01-01")).sum()
    assert tested == 504  # 2003 and 2004
    assert scored.sum() == tested - 1  # the last day has no next close, so no label
    for name in ("always-up", "logistic", "boosting", "quantum", "quantum-kernel", "hybrid"):
        values = walk.predictions[name][scored]
        assert not np.isnan(values).any()
        assert ((values > 0) & (values < 1)).all()
    assert list(walk.stacking_weights) == ["2003-01-02", "2004-01-02"]
    # 2002 is validation only: members predict it, the hybrid does not.
    validation = (walk.index >= pd.Timestamp("2002-01-01")) & (
        walk.index < pd.Timestamp("2003-01-01")
    )
    assert not np.isnan(walk.predictions["logistic"][validation]).any()
    assert np.isnan(walk.predictions["hybrid"][walk.index < pd.Timestamp("2003-01-01")]).all()


def test_signal_explains_itself_and_falls_back_over_its_budget(walk: WalkForward) -> None:
    model = fit_latest(walk, latency_budget_seconds=1e-9)
    row = walk.dataset.matrix[-1]
    first = model.signal(row, Regime.NORMAL, timer=time.perf_counter)
    assert first.used_quantum and first.note == ""
    assert set(first.votes) == {"logistic", "boosting", "quantum"}
    assert 0 < first.probability_up < 1
    assert first.confidence == max(first.probability_up, 1 - first.probability_up)
    assert [name for name, _ in first.top_features] and all(
        name in MODEL_FEATURES for name, _ in first.top_features
    )
    second = model.signal(row, Regime.NORMAL, timer=time.perf_counter)
    assert not second.used_quantum
    assert "quantum" not in second.votes
    assert "left out" in second.note and "classical models decided alone" in second.note
    assert set(second.weights) == {"logistic", "boosting"}

    roomy = fit_latest(walk, latency_budget_seconds=10.0)
    for _ in range(3):
        assert roomy.signal(row, Regime.HIGH, timer=time.perf_counter).used_quantum
    # Without a timer (the walk-forward, tests of figures) the circuit always runs.
    assert model.signal(row, Regime.NORMAL).used_quantum


@pytest.mark.slow
def test_on_a_local_ray_cluster_the_walk_forward_is_the_same(
    spx: pd.DataFrame, walk: WalkForward
) -> None:
    ray = pytest.importorskip("ray")
    from keel.backtest.parallel import RayExecutor

    try:
        executor = RayExecutor("local", workers=2)
        on_ray = run_walk_forward(
            build_dataset("SPX", spx.loc[:"2004-12-31"]), CONFIG, executor=executor
        )
    finally:
        ray.shutdown()
    for name, values in walk.predictions.items():
        np.testing.assert_array_equal(on_ray.predictions[name], values, name)
