"""A small hybrid trained on SPX 1999–2003 (seconds, not minutes), stored like `keel train` does."""

from __future__ import annotations

import dataclasses
import functools

from keel.backtest.parallel import SerialExecutor
from keel.market.datasets import load_bundled
from keel.models.artifact import Artifact, dump_model, train
from keel.models.circuit import CircuitConfig
from keel.models.walkforward import EvaluationConfig
from keel.server.model_registry import signals
from keel.server.model_registry.repository import save_model
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime

SMALL = EvaluationConfig(
    first_validation="2002-01-01",
    first_test="2003-01-01",
    circuit=CircuitConfig(steps=3, batch=32),
)


@functools.cache
def small_artifact() -> Artifact:
    """Trained once per process: walk-forward from 2002 and the model on every day to 2003-12-31."""
    bars = load_bundled("SPX").loc[:"2003-12-31"]
    return train(bars, SMALL, "0.1.0", SerialExecutor())


async def store_small_model(
    runtime: Runtime, *, latency_budget_seconds: float | None = None
) -> str:
    """Store the small model in the runtime's object store; its version. A larger latency budget
    lets the circuit run on every signal however busy the machine is (so signals repeat)."""
    artifact = small_artifact()
    model = artifact.model
    if latency_budget_seconds is not None:
        model = dataclasses.replace(model, latency_budget_seconds=latency_budget_seconds)
    store = get_object_store(runtime)
    await save_model(store, "SPX", artifact.version, dump_model(model), artifact.metadata)
    signals._LOADED.pop(("SPX", artifact.version), None)  # an earlier test's copy, other budget
    return artifact.version
