"""`keel train`: fit the hybrid on a symbol's history and store it, versioned, in the object store."""

from __future__ import annotations

import asyncio

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
    console,
    daily_symbol,
    executor_for,
)
from keel.market.datasets import load_bundled


@app.command()
def train(
    symbol: DailySymbol = "SPX",
    first_validation: FirstValidation = "2002-01-01",
    first_test: FirstTest = "2004-01-01",
    last_day: str | None = typer.Option(None, help="train on bars up to this day (default: all)"),
    seed: Seed = 0,
    circuit_steps: CircuitSteps = CIRCUIT_STEPS,
    workers: Workers = 0,
) -> None:
    """Walk-forward (for the scorecard and the stacker), refit on everything, store the model."""
    import keel
    from keel.models.artifact import dump_model
    from keel.models.artifact import train as train_model
    from keel.models.circuit import CircuitConfig
    from keel.models.walkforward import EvaluationConfig
    from keel.server.model_registry.repository import save_model
    from keel.server.objectstore import build_object_store
    from keel.server.settings import get_settings

    symbol = daily_symbol(symbol)
    bars = load_bundled(symbol)
    bars = bars.loc[:last_day] if last_day else bars
    config = EvaluationConfig(
        symbol=symbol,
        first_validation=first_validation,
        first_test=first_test,
        seed=seed,
        circuit=CircuitConfig(steps=circuit_steps),
    )
    with console.status(f"walk-forward and training on {symbol}…"):
        artifact = train_model(bars, config, keel.__version__, executor_for(workers))
    version, metadata = artifact.version, artifact.metadata
    store = build_object_store(get_settings())
    saving = save_model(store, symbol, version, dump_model(artifact.model), metadata)
    metadata_key = asyncio.run(saving)
    first, last = metadata["data_from"], metadata["data_to"]
    typer.echo(
        f"stored {symbol} model {version} (bars {first} … {last}) at {store.url(metadata_key)}"
    )
