"""`keel train`: fit the hybrid on a symbol's history and store it, versioned, in the object store."""

from __future__ import annotations

import asyncio

import typer

from keel.cli import app
from keel.cli.evaluate import CIRCUIT_STEPS, _executor, console
from keel.market.datasets import BUNDLED, load_bundled


@app.command()
def train(
    symbol: str = typer.Option("SPX", help="a bundled daily symbol: SPX, IXIC or GOOG"),
    first_validation: str = typer.Option("2002-01-01", help="members start predicting here"),
    first_test: str = typer.Option("2004-01-01", help="first day that counts in the scorecard"),
    last_day: str | None = typer.Option(None, help="train on bars up to this day (default: all)"),
    seed: int = typer.Option(0, help="seed of every member"),
    circuit_steps: int = typer.Option(CIRCUIT_STEPS, help="training steps of the circuit"),
    workers: int = typer.Option(0, help="processes (0: one per core, 1: this process only)"),
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

    symbol = symbol.upper()
    if (
        symbol not in BUNDLED
        or BUNDLED[symbol][0].frequency != "1d"
        or not BUNDLED[symbol][0].tradable
    ):
        raise typer.BadParameter(f"{symbol} is not a bundled daily market; try SPX, IXIC or GOOG")
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
        artifact = train_model(bars, config, keel.__version__, _executor(workers))
    version, metadata = artifact.version, artifact.metadata
    store = build_object_store(get_settings())
    saving = save_model(store, symbol, version, dump_model(artifact.model), metadata)
    metadata_key = asyncio.run(saving)
    first, last = metadata["data_from"], metadata["data_to"]
    typer.echo(
        f"stored {symbol} model {version} (bars {first} … {last}) at {store.url(metadata_key)}"
    )
