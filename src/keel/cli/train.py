"""`keel train`: fit the hybrid on a symbol's history and store it, versioned, in the object store."""

from __future__ import annotations

import asyncio
from typing import Any

import typer

from keel.cli import app
from keel.cli.evaluate import CIRCUIT_STEPS, _executor, console
from keel.market.datasets import BUNDLED, load_bundled


def model_keys(symbol: str, version: str) -> tuple[str, str]:
    """Object-store keys of a model's bytes and of its metadata."""
    return f"models/{symbol}/{version}/model.pkl", f"models/{symbol}/{version}/metadata.json"


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
    from keel.models.artifact import artifact_version, build_metadata, dump_metadata, dump_model
    from keel.models.circuit import CircuitConfig
    from keel.models.evaluation import scorecard
    from keel.models.features import build_dataset
    from keel.models.latest import fit_latest
    from keel.models.walkforward import EvaluationConfig, run_walk_forward
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
        walk = run_walk_forward(build_dataset(symbol, bars), config, executor=_executor(workers))
        card = scorecard(walk, bars)
        model = fit_latest(walk)
    first, last = (bars.index[i].date().isoformat() for i in (0, -1))
    metadata: dict[str, Any] = build_metadata(card, first, last, keel.__version__)
    version = artifact_version(metadata)
    metadata["version"] = version
    store = build_object_store(get_settings())
    model_key, metadata_key = model_keys(symbol, version)

    async def save() -> None:
        await store.put(model_key, dump_model(model), "application/octet-stream")
        await store.put(metadata_key, dump_metadata(metadata), "application/json")

    asyncio.run(save())
    typer.echo(
        f"stored {symbol} model {version} (bars {first} … {last}) at {store.url(metadata_key)}"
    )
