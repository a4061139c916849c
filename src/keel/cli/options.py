"""Options and helpers that several `keel` commands share, each declared once.

`keel backtest` and `keel sweep` choose their history and trading costs the same way; `keel evaluate`
and `keel train` walk the same models forward; all of `evaluate`, `train` and `sweep` spread work
over processes. An option written out again in each command drifts (its help text, its default):
the commands take these `Annotated` aliases instead.

This module stays light: `keel --help` imports every command module, so nothing here imports
PennyLane, scikit-learn or Ray (Ray is imported only when `KEEL_RAY_ADDRESS` asks for it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from keel.backtest.parallel import Executor, ProcessPool, RayExecutor, SerialExecutor
from keel.backtest.settings import FillTiming, Sizing
from keel.market.datasets import BUNDLED

console = Console(stderr=True)
"""Progress and notices go to stderr, so that stdout carries only the result (JSON or Markdown)."""

CIRCUIT_STEPS = 80
"""`keel.models.circuit.CircuitConfig.steps`, repeated so that `keel --help` and every other
command start without importing PennyLane and scikit-learn (seconds on a busy machine)."""

# Every command that spreads work over processes.
Workers = Annotated[
    int, typer.Option("--workers", help="processes (0: one per core, 1: this process only)")
]

# The history a backtest or a sweep runs over, and what trading costs (`keel backtest`, `keel sweep`).
Symbol = Annotated[
    str | None, typer.Option("--symbol", help="A bundled history: SPX, IXIC, GOOG, EURUSD.")
]
Data = Annotated[
    Path | None, typer.Option("--data", help="Your own OHLCV history (.csv or .parquet).")
]
StrategyName = Annotated[str, typer.Option("--strategy", help="Built-in name or FILE.py[:Class].")]
Cash = Annotated[float, typer.Option("--cash", help="Starting cash.")]
Commission = Annotated[
    float, typer.Option("--commission", help="Fraction of each fill's notional.")
]
Spread = Annotated[
    float, typer.Option("--spread", help="Full bid/ask spread as a fraction of price.")
]
Slippage = Annotated[
    float, typer.Option("--slippage", help="Adverse slippage per fill, a fraction.")
]
Start = Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")]
End = Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")]
SizingChoice = Annotated[
    Sizing, typer.Option("--sizing", help="all-in, fraction, fixed or vol-target.")
]
Fraction = Annotated[
    float, typer.Option("--fraction", help="Equity fraction for --sizing fraction.")
]
Units = Annotated[float, typer.Option("--units", help="Units per order for --sizing fixed.")]
TargetVol = Annotated[
    float, typer.Option("--target-vol", help="Annualised vol for --sizing vol-target.")
]
LongShort = Annotated[bool, typer.Option("--long-short/--long-only", help="Allow short positions.")]
Fill = Annotated[FillTiming, typer.Option("--fill", help="next-open or close.")]
Breakers = Annotated[
    bool, typer.Option("--breakers/--no-breakers", help="Regime circuit breakers.")
]
KeepOpen = Annotated[
    bool, typer.Option("--keep-open", help="Leave the last trade open at the end.")
]
Money = Annotated[
    str,
    typer.Option(
        "--money", help="exact (floats, as backtesting.py) or grid (the live engine's cents)."
    ),
]

# The direction models' walk-forward (`keel evaluate`, `keel train`).
DailySymbol = Annotated[
    str, typer.Option("--symbol", help="a bundled daily symbol: SPX, IXIC or GOOG")
]
FirstValidation = Annotated[
    str,
    typer.Option(
        "--first-validation",
        help="members start predicting here (the hybrid's first validation days)",
    ),
]
FirstTest = Annotated[
    str, typer.Option("--first-test", help="first day that counts in the scorecard")
]
Seed = Annotated[int, typer.Option("--seed", help="seed of every member")]
CircuitSteps = Annotated[int, typer.Option("--circuit-steps", help="training steps of the circuit")]


def executor_for(workers: int) -> Executor:
    """Where the work runs: Ray when `KEEL_RAY_ADDRESS` is set, else this process or a pool.

    The CLI, not the core, reads the environment.
    """
    address = os.environ.get("KEEL_RAY_ADDRESS")
    if address:
        return RayExecutor(address, workers if workers > 0 else None)
    if workers == 1:
        return SerialExecutor()
    return ProcessPool(workers if workers > 0 else None)


def progress_bar() -> Progress:
    """A bar on stderr that disappears when the work is done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def daily_symbol(symbol: str) -> str:
    """The symbol upper-cased, refused unless it is a bundled, tradable market with daily bars."""
    symbol = symbol.upper()
    if (
        symbol not in BUNDLED
        or BUNDLED[symbol][0].frequency != "1d"
        or not BUNDLED[symbol][0].tradable
    ):
        raise typer.BadParameter(f"{symbol} is not a bundled daily market; try SPX, IXIC or GOOG")
    return symbol
