"""Sweeps: grid/random, walk-forward windows that never peek, executors that agree, heat maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from keel.backtest.parallel import ProcessPool, SerialExecutor
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import SmaCross
from keel.backtest.sweep import (
    grid,
    heatmap_png,
    parse_space,
    random_combinations,
    run_sweep,
    walk_forward,
)
from keel.market.datasets import load_bundled

GOOG = load_bundled("GOOG")
SPX = load_bundled("SPX")
EXECUTION = ExecutionSettings(long_short=True)
SMALL = grid({"fast": [5, 10, 20], "slow": [40, 80]})


def test_grid_and_random_search() -> None:
    space = {"fast": [5, 10, 15], "slow": [30, 60]}
    assert grid(space) == [{"fast": f, "slow": s} for f in (5, 10, 15) for s in (30, 60)]
    picked = random_combinations(space, 4, seed=3)
    assert len(picked) == 4 and all(p in grid(space) for p in picked)
    assert picked == random_combinations(space, 4, seed=3)
    assert parse_space(["fast=5:15:5", "slow=30,60"], SmaCross) == space


def test_sweep_rows_equal_single_backtests_and_best_maximises_the_metric() -> None:
    result = run_sweep(GOOG, SmaCross, SMALL, EXECUTION, metric="sharpe")
    assert len(result.rows) == len(SMALL)
    for row in result.rows.itertuples():
        single = run_backtest(GOOG, SmaCross, {"fast": row.fast, "slow": row.slow}, EXECUTION)
        assert row.final_equity == single.stats["final_equity"]
        assert row.trade_count == single.stats["trade_count"]
    top = result.rows.loc[result.rows["sharpe"].idxmax()]
    assert result.best == {"fast": top["fast"], "slow": top["slow"]}


def test_process_pool_equals_serial() -> None:
    serial = run_sweep(GOOG, SmaCross, SMALL, EXECUTION, executor=SerialExecutor())
    pooled = run_sweep(GOOG, SmaCross, SMALL, EXECUTION, executor=ProcessPool(2))
    pd.testing.assert_frame_equal(serial.rows, pooled.rows)


def test_walk_forward_out_of_sample_uses_only_later_data() -> None:
    combos = grid({"fast": [5, 20], "slow": [50, 100]})
    windows = walk_forward(SPX, SmaCross, combos, EXECUTION, train_bars=1500, test_bars=700)
    assert len(windows) == (len(SPX) - 1500) // 700
    for window in windows:
        assert window.out_of_sample[0] == window.in_sample[1]
        assert window.out_of_sample[0] > window.in_sample[0]
    # Scrambling everything before an OOS window leaves its figures unchanged.
    window = windows[1]
    start, end = window.out_of_sample
    scrambled = SPX.copy()
    rng = np.random.default_rng(1)
    scrambled.iloc[:start, :4] = scrambled.iloc[:start, :4].to_numpy() * rng.uniform(
        0.5, 1.5, (start, 1)
    )
    again = walk_forward(scrambled, SmaCross, combos, EXECUTION, train_bars=1500, test_bars=700)
    replay = run_backtest(SPX.iloc[start:end], SmaCross, window.best_params, EXECUTION)
    assert window.out_of_sample_stats["final_equity"] == replay.stats["final_equity"]
    if again[1].best_params == window.best_params:
        assert again[1].out_of_sample_stats == window.out_of_sample_stats


def test_heatmap_png(tmp_path: Path) -> None:
    result = run_sweep(GOOG, SmaCross, SMALL, EXECUTION)
    path = heatmap_png(result.rows, "fast", "slow", "sharpe", tmp_path / "heat.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000


@pytest.mark.slow
def test_a_sweep_on_a_local_ray_cluster_equals_the_process_pool() -> None:
    ray = pytest.importorskip("ray")
    from keel.backtest.parallel import RayExecutor

    try:
        executor = RayExecutor("local", workers=2)
        on_ray = run_sweep(GOOG, SmaCross, SMALL, EXECUTION, executor=executor)
    finally:
        ray.shutdown()
    pooled = run_sweep(GOOG, SmaCross, SMALL, EXECUTION, executor=ProcessPool(2))
    pd.testing.assert_frame_equal(on_ray.rows, pooled.rows)
