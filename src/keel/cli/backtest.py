"""`keel backtest` and `keel sweep`: the backtesting lab from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.table import Table

from keel.backtest.export import result_to_dict, write_json
from keel.backtest.report import write_html
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import get_strategy
from keel.backtest.strategy import Strategy
from keel.backtest.sweep import grid as grid_of
from keel.backtest.sweep import (
    heatmap_png,
    parse_space,
    random_combinations,
    run_sweep,
    walk_forward,
)
from keel.cli import app
from keel.cli.options import (
    Breakers,
    Cash,
    Commission,
    Data,
    End,
    Fill,
    Fraction,
    KeepOpen,
    LongShort,
    Money,
    SizingChoice,
    Slippage,
    Spread,
    Start,
    StrategyName,
    Symbol,
    TargetVol,
    Units,
    Workers,
    console,
    executor_for,
    progress_bar,
)
from keel.market.datasets import load_bundled, load_file

DEFAULTS = ExecutionSettings()
"""The options' defaults are the core's, so that the command and the library cannot differ."""


def _load(
    symbol: str | None, data: Path | None, start: str | None, end: str | None
) -> pd.DataFrame:
    if (symbol is None) == (data is None):
        raise typer.BadParameter("give exactly one of --symbol and --data")
    frame = load_bundled(symbol) if symbol else load_file(data)  # type: ignore[arg-type]
    if start:
        frame = frame.loc[pd.Timestamp(start) :]
    if end:
        frame = frame.loc[: pd.Timestamp(end)]
    if len(frame) < 2:
        raise typer.BadParameter("fewer than two bars in the chosen date range")
    return frame


def _params(pairs: list[str], strategy: type[Strategy]) -> dict[str, float]:
    params: dict[str, float] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in strategy.params:
            known = ", ".join(strategy.params) or "none"
            raise typer.BadParameter(f"--param {pair!r}: expected k=v with k one of {known}")
        params[key] = float(value)
    return params


def _settings(**values: Any) -> ExecutionSettings:
    money = values.pop("money")
    if money not in ("grid", "exact"):
        raise typer.BadParameter("--money must be grid or exact")
    try:
        return ExecutionSettings(money_grid=money == "grid", **values)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


def _summary(stats: dict[str, Any], title: str) -> Table:
    table = Table(title=title, show_header=False)
    for key in (
        "final_equity",
        "return_pct",
        "buy_hold_return_pct",
        "cagr_pct",
        "sharpe",
        "sortino",
        "calmar",
        "max_drawdown_pct",
        "trade_count",
        "win_rate_pct",
        "profit_factor",
        "sqn",
        "exposure_pct",
    ):
        table.add_row(key, _format_stat(key, stats.get(key)))
    return table


def _format_stat(key: str, value: Any) -> str:
    """Counts as integers, money to the cent, percentages and ratios to 4 places."""
    if value is None:
        return "–"
    if key == "trade_count":
        return f"{int(value):,}"
    if key == "final_equity":
        return f"{value:,.2f}"
    return f"{value:,.4f}"


@app.command()
def backtest(
    symbol: Symbol = None,
    data: Data = None,
    strategy: StrategyName = "sma-cross",
    param: list[str] = typer.Option([], "--param", help="Strategy parameter k=v (repeatable)."),
    cash: Cash = DEFAULTS.cash,
    commission: Commission = DEFAULTS.commission,
    spread: Spread = DEFAULTS.spread,
    slippage: Slippage = DEFAULTS.slippage,
    start: Start = None,
    end: End = None,
    sizing: SizingChoice = DEFAULTS.sizing,
    fraction: Fraction = DEFAULTS.fraction,
    units: Units = DEFAULTS.units,
    target_vol: TargetVol = DEFAULTS.target_vol,
    long_short: LongShort = DEFAULTS.long_short,
    fill: Fill = DEFAULTS.fill,
    breakers: Breakers = DEFAULTS.breakers,
    keep_open: KeepOpen = not DEFAULTS.close_at_end,
    money: Money = "exact",
    json_out: Path | None = typer.Option(None, "--json", help="Write stats and trades as JSON."),
    report: Path | None = typer.Option(None, "--report", help="Write an HTML report."),
) -> None:
    """Backtest one strategy over bundled or your own history."""
    frame = _load(symbol, data, start, end)
    strategy_cls = get_strategy(strategy)
    params = _params(param, strategy_cls)
    settings = _settings(
        cash=cash,
        commission=commission,
        spread=spread,
        slippage=slippage,
        sizing=sizing,
        fraction=fraction,
        units=units,
        target_vol=target_vol,
        long_short=long_short,
        fill=fill,
        breakers=breakers,
        close_at_end=not keep_open,
        money=money,
    )
    with progress_bar() as bar:
        task = bar.add_task(f"{strategy_cls.name} on {symbol or data}", total=len(frame))
        result = run_backtest(
            frame,
            strategy_cls,
            params,
            settings,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(_summary(result.stats, f"{result.strategy} {result.params}"))
    if json_out:
        write_json(result, json_out)
        console.print(f"JSON written to {json_out}")
    if report:
        write_html(result, report, title=f"{result.strategy} on {symbol or data}")
        console.print(f"report written to {report}")
    if not json_out:
        typer.echo(json.dumps(result_to_dict(result)["stats"], indent=2))


def _first_and_last_date(frame: pd.DataFrame, span: tuple[int, int]) -> list[str]:
    """ISO dates of the first and last bar of the half-open bar range `span`."""
    first, stop = span
    return [frame.index[first].isoformat(), frame.index[stop - 1].isoformat()]


@app.command()
def sweep(
    symbol: Symbol = None,
    data: Data = None,
    strategy: StrategyName = "sma-cross",
    grid: list[str] = typer.Option(
        [], "--grid", help="Parameter values: name=low:high:step or name=v1,v2 (repeatable)."
    ),
    random_count: int = typer.Option(0, "--random", help="Sample this many sets from the grid."),
    seed: int = typer.Option(0, "--seed", help="Seed of --random."),
    metric: str = typer.Option("sharpe", "--metric", help="Statistic to maximise."),
    walk: str | None = typer.Option(None, "--walk-forward", help="TRAIN:TEST bars, e.g. 750:250."),
    workers: Workers = 0,
    cash: Cash = DEFAULTS.cash,
    commission: Commission = DEFAULTS.commission,
    spread: Spread = DEFAULTS.spread,
    slippage: Slippage = DEFAULTS.slippage,
    start: Start = None,
    end: End = None,
    sizing: SizingChoice = DEFAULTS.sizing,
    long_short: LongShort = DEFAULTS.long_short,
    fill: Fill = DEFAULTS.fill,
    breakers: Breakers = DEFAULTS.breakers,
    money: Money = "exact",
    json_out: Path | None = typer.Option(None, "--json", help="Write every row as JSON."),
    heatmap: Path | None = typer.Option(None, "--heatmap", help="PNG heat map (2 parameters)."),
) -> None:
    """Sweep a strategy's parameters (grid, random or walk-forward), in parallel."""
    frame = _load(symbol, data, start, end)
    strategy_cls = get_strategy(strategy)
    try:
        space = parse_space(grid, strategy_cls)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    if not space:
        raise typer.BadParameter("give at least one --grid name=values")
    combos = random_combinations(space, random_count, seed) if random_count else grid_of(space)
    settings = _settings(
        cash=cash,
        commission=commission,
        spread=spread,
        slippage=slippage,
        sizing=sizing,
        long_short=long_short,
        fill=fill,
        breakers=breakers,
        money=money,
    )
    executor = executor_for(workers)
    if walk:
        train, _, test = walk.partition(":")
        windows = walk_forward(
            frame,
            strategy_cls,
            combos,
            settings,
            train_bars=int(train),
            test_bars=int(test),
            metric=metric,
            executor=executor,
        )
        document: Any = [
            {
                "in_sample": _first_and_last_date(frame, w.in_sample),
                "out_of_sample": _first_and_last_date(frame, w.out_of_sample),
                "best_params": {k: float(v) for k, v in w.best_params.items()},
                "in_sample_score": w.in_sample_score,
                "out_of_sample_stats": w.out_of_sample_stats,
            }
            for w in windows
        ]
    else:
        with progress_bar() as bar:
            task = bar.add_task(f"{len(combos)} parameter sets", total=len(combos))
            result = run_sweep(
                frame,
                strategy_cls,
                combos,
                settings,
                metric=metric,
                executor=executor,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        rows = result.rows
        console.print(f"best {metric}: {rows[metric].max():.4f} with {result.best}")
        if heatmap and len(space) >= 2:
            x, y = list(space)[:2]
            heatmap_png(rows, x, y, metric, heatmap)
            console.print(f"heat map written to {heatmap}")
        document = {
            "metric": metric,
            "best": {k: float(v) for k, v in result.best.items()},
            "rows": json.loads(rows.to_json(orient="records")),
        }
    text = json.dumps(document, indent=2, default=str)
    if json_out:
        json_out.write_text(text, encoding="utf-8")
        console.print(f"JSON written to {json_out}")
    else:
        typer.echo(text)
