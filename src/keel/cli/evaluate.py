"""`keel evaluate`: walk-forward scorecard of the direction models (classical, quantum, hybrid)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from keel.backtest.parallel import Executor, ProcessPool, RayExecutor, SerialExecutor
from keel.cli import app
from keel.market.datasets import BUNDLED, load_bundled

console = Console(stderr=True)
CIRCUIT_STEPS = 80
"""`keel.models.circuit.CircuitConfig.steps`, repeated so that `keel --help` and every other
command start without importing PennyLane and scikit-learn (seconds on a busy machine)."""


def _executor(workers: int) -> Executor:
    # The CLI, not the core, reads the environment (as `keel sweep` does).
    address = os.environ.get("KEEL_RAY_ADDRESS")
    if address:
        return RayExecutor(address, workers if workers > 0 else None)
    if workers == 1:
        return SerialExecutor()
    return ProcessPool(workers if workers > 0 else None)


@app.command()
def evaluate(
    symbol: str = typer.Option("SPX", help="a bundled daily symbol: SPX, IXIC or GOOG"),
    first_validation: str = typer.Option(
        "2002-01-01", help="members start predicting here (the hybrid's first validation days)"
    ),
    first_test: str = typer.Option("2004-01-01", help="first day that counts in the scorecard"),
    last_test: str | None = typer.Option(None, help="last day scored (default: the last one)"),
    refit: str = typer.Option(
        "YS", help="refit at the start of each YS year, QS quarter, MS month"
    ),
    seed: int = typer.Option(0, help="seed of every member"),
    circuit_steps: int = typer.Option(CIRCUIT_STEPS, help="training steps of the circuit"),
    workers: int = typer.Option(0, help="processes (0: one per core, 1: this process only)"),
    json_out: Path | None = typer.Option(None, "--json", help="write the scorecard as JSON here"),
    markdown: Path | None = typer.Option(None, help="write the scorecard as Markdown here"),
    from_json: Path | None = typer.Option(
        None, help="show a scorecard written earlier with --json, without training anything"
    ),
) -> None:
    """Walk-forward every model out of sample and print its scorecard per volatility regime."""
    if from_json is not None:
        from keel.models.report import to_markdown as render

        text = render(json.loads(from_json.read_text(encoding="utf-8")))
        if markdown:
            markdown.write_text(text, encoding="utf-8")
        typer.echo(text)
        return
    symbol = symbol.upper()
    if (
        symbol not in BUNDLED
        or BUNDLED[symbol][0].frequency != "1d"
        or not BUNDLED[symbol][0].tradable
    ):
        raise typer.BadParameter(f"{symbol} is not a bundled daily market; try SPX, IXIC or GOOG")
    from keel.models.circuit import CircuitConfig
    from keel.models.evaluation import evaluate as evaluate_symbol
    from keel.models.report import to_json, to_markdown
    from keel.models.walkforward import EvaluationConfig

    bars = load_bundled(symbol)
    bars = bars.loc[:last_test] if last_test else bars
    vix = load_bundled("VIX")["Close"]
    config = EvaluationConfig(
        symbol=symbol,
        first_validation=first_validation,
        first_test=first_test,
        last_test=last_test,
        refit=refit,
        seed=seed,
        circuit=CircuitConfig(steps=circuit_steps),
    )
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task = progress.add_task(f"walk-forward {symbol}", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        card = evaluate_symbol(bars, config, vix=vix, executor=_executor(workers), progress=report)
    canonical = to_json(card)
    # The Markdown is drawn from the JSON's rounded figures, so --from-json shows the same page.
    text = to_markdown(json.loads(canonical))
    if json_out:
        json_out.write_text(canonical, encoding="utf-8")
    if markdown:
        markdown.write_text(text, encoding="utf-8")
    typer.echo(text)
