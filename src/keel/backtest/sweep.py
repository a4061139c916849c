"""Parameter sweeps: grid and random search, walk-forward optimisation, heat maps.

Work is spread by an `Executor` the caller passes in (the core reads no environment): serial,
a local process pool, or Ray (`keel.backtest.parallel`). Each worker receives the data once per
chunk of parameter sets and runs them with the same `run_backtest` as a single backtest.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.parallel import Executor, SerialExecutor
from keel.backtest.regimes import regime_series
from keel.backtest.runner import ProgressCallback, run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategy import Bars, Strategy

SUMMARY_KEYS = (
    "final_equity",
    "return_pct",
    "sharpe",
    "sortino",
    "calmar",
    "max_drawdown_pct",
    "win_rate_pct",
    "trade_count",
    "profit_factor",
    "sqn",
)


def grid(space: Mapping[str, Sequence[float]]) -> list[dict[str, float]]:
    """Every combination of the listed values, in order."""
    keys = list(space)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*space.values())]


def random_combinations(
    space: Mapping[str, Sequence[float]], count: int, seed: int = 0
) -> list[dict[str, float]]:
    """`count` distinct combinations drawn (seeded) from the grid of `space`."""
    everything = grid(space)
    if count >= len(everything):
        return everything
    # Seeded sampling of parameter sets, not a secret.
    return random.Random(seed).sample(everything, count)  # nosec B311


def _evaluate_chunk(task: tuple[Any, ...]) -> list[dict[str, Any]]:
    frame, strategy, combos, settings, regimes = task
    bars = Bars(frame)
    rows = []
    for params in combos:
        try:
            result = run_backtest(bars, strategy, params, settings, regimes=regimes)
        except ValueError as error:  # an invalid combination (e.g. fast >= slow) is reported
            rows.append({**params, "error": str(error)})
            continue
        rows.append({**params, **{key: result.stats[key] for key in SUMMARY_KEYS}})
    return rows


def _chunks(items: list[dict[str, float]], count: int) -> list[list[dict[str, float]]]:
    size = max(1, math.ceil(len(items) / max(count, 1)))
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True)
class SweepResult:
    """One row per parameter set (params + summary statistics); `best` maximises `metric`."""

    rows: pd.DataFrame
    metric: str
    best: dict[str, float]


def run_sweep(
    data: pd.DataFrame,
    strategy: type[Strategy],
    combinations: Iterable[Mapping[str, float]],
    settings: ExecutionSettings | None = None,
    *,
    metric: str = "sharpe",
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> SweepResult:
    """Backtest every parameter set; the first is checked for look-ahead, the rest skip it."""
    settings = settings or ExecutionSettings()
    combos = [dict(c) for c in combinations]
    if not combos:
        raise ValueError("a sweep needs at least one parameter set")
    executor = executor or SerialExecutor()
    bars = Bars(data)
    regimes = regime_series(bars.close, bars.index)
    if settings.check_lookahead:
        run_backtest(bars, strategy, combos[0], settings, regimes=regimes)
    fast = replace(settings, check_lookahead=False)
    chunks = _chunks(combos, executor.workers * 4)
    tasks = [(data, strategy, chunk, fast, regimes) for chunk in chunks]
    rows: list[dict[str, Any]] = []
    for done in executor.map(_evaluate_chunk, tasks):
        rows.extend(done)
        if progress is not None:
            progress(len(rows), len(combos))
    table = pd.DataFrame(rows)
    scores = pd.to_numeric(table[metric], errors="coerce") if metric in table else None
    if scores is None or bool(scores.isna().all()):
        best = dict(combos[0])
    else:
        winner = table.iloc[int(np.nanargmax(scores.to_numpy(dtype=float)))]
        best = {
            key: int(winner[key]) if strategy.params[key].is_int else float(winner[key])
            for key in combos[0]
        }
    return SweepResult(rows=table, metric=metric, best=best)


@dataclass(frozen=True)
class WalkForwardWindow:
    """One walk-forward step: bar ranges [start, end) of the fit and of the out-of-sample test."""

    in_sample: tuple[int, int]
    out_of_sample: tuple[int, int]
    best_params: dict[str, float]
    in_sample_score: float
    out_of_sample_stats: dict[str, Any]


def walk_forward(
    data: pd.DataFrame,
    strategy: type[Strategy],
    combinations: Sequence[Mapping[str, float]],
    settings: ExecutionSettings | None = None,
    *,
    train_bars: int,
    test_bars: int,
    metric: str = "sharpe",
    executor: Executor | None = None,
) -> list[WalkForwardWindow]:
    """Fit on `train_bars`, test the winner on the next `test_bars`, roll forward by `test_bars`.

    The out-of-sample backtest sees only its own bars (it starts flat, warms its indicators up
    inside the window), so no out-of-sample figure depends on in-sample data.
    """
    settings = settings or ExecutionSettings()
    windows = []
    start = 0
    while start + train_bars + test_bars <= len(data):
        split, stop = start + train_bars, start + train_bars + test_bars
        fit = data.iloc[start:split]
        sweep = run_sweep(fit, strategy, combinations, settings, metric=metric, executor=executor)
        score = sweep.rows[metric].max() if metric in sweep.rows else math.nan
        result = run_backtest(data.iloc[split:stop], strategy, sweep.best, settings)
        windows.append(
            WalkForwardWindow(
                in_sample=(start, split),
                out_of_sample=(split, stop),
                best_params=dict(sweep.best),
                in_sample_score=float(score),
                out_of_sample_stats={key: result.stats[key] for key in SUMMARY_KEYS},
            )
        )
        start += test_bars
    if not windows:
        raise ValueError("not enough bars for one in-sample plus out-of-sample window")
    return windows


def heatmap_png(
    rows: pd.DataFrame,
    x: str,
    y: str,
    metric: str,
    path: str | Path,
    title: str | None = None,
) -> Path:
    """Write a PNG heat map of `metric` over parameters `x` and `y` (mean over other params)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = rows.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
    figure, axes = plt.subplots(figsize=(7, 5))
    image = axes.imshow(table.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    axes.set_xticks(range(len(table.columns)), [f"{v:g}" for v in table.columns], rotation=90)
    axes.set_yticks(range(len(table.index)), [f"{v:g}" for v in table.index])
    axes.set_xlabel(x)
    axes.set_ylabel(y)
    axes.set_title(title or f"{metric} by {x} and {y}")
    figure.colorbar(image, ax=axes, label=metric)
    figure.tight_layout()
    target = Path(path)
    figure.savefig(target, dpi=100)
    plt.close(figure)
    return target


def parse_space(specs: Iterable[str], strategy: type[Strategy]) -> dict[str, list[float]]:
    """Parse `name=a:b:step` or `name=v1,v2,…` into value lists, typed as the declared params."""
    space: dict[str, list[float]] = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        declared = strategy.params.get(name)
        if declared is None:
            raise ValueError(f"{strategy.name} has no parameter {name!r}")
        cast: Callable[[Any], float] = int if declared.is_int else float
        if ":" in values:
            low, high, step = (float(v) for v in values.split(":"))
            space[name] = [cast(v) for v in np.arange(low, high + step / 2, step)]
        else:
            space[name] = [cast(v) for v in values.split(",") if v]
    return space
