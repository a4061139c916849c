"""`keel evaluate`: walk-forward scorecard of the direction models (classical, quantum, hybrid)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from keel.cli import app
from keel.cli.options import (
    CIRCUIT_STEPS,
    CircuitSteps,
    DailySymbol,
    FirstTest,
    FirstValidation,
    Seed,
    Workers,
    daily_symbol,
    executor_for,
    progress_bar,
)
from keel.market.datasets import load_bundled


@app.command()
def evaluate(
    symbol: DailySymbol = "SPX",
    first_validation: FirstValidation = "2002-01-01",
    first_test: FirstTest = "2004-01-01",
    last_test: str | None = typer.Option(None, help="last day scored (default: the last one)"),
    refit: str = typer.Option(
        "YS", help="refit at the start of each YS year, QS quarter, MS month"
    ),
    seed: Seed = 0,
    circuit_steps: CircuitSteps = CIRCUIT_STEPS,
    workers: Workers = 0,
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
    symbol = daily_symbol(symbol)
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
    with progress_bar() as progress:
        task = progress.add_task(f"walk-forward {symbol}", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        card = evaluate_symbol(
            bars, config, vix=vix, executor=executor_for(workers), progress=report
        )
    canonical = to_json(card)
    # The Markdown is drawn from the JSON's rounded figures, so --from-json shows the same page.
    text = to_markdown(json.loads(canonical))
    if json_out:
        json_out.write_text(canonical, encoding="utf-8")
    if markdown:
        markdown.write_text(text, encoding="utf-8")
    typer.echo(text)
