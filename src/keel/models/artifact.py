"""A trained hybrid as one versioned artifact: the model's bytes and its metadata.

The metadata says what the model is (symbol, data range, features, parameters, seed, code
version) and how it scored out of sample (the scorecard). The version is a hash of the metadata
without the scorecard, so the same data, parameters, seed and code give the same version.
Artifacts are Python pickles: load only those from your own object store.
"""

from __future__ import annotations

import hashlib
import json
import pickle  # nosec B403 - our own artifacts only, see the module doc
from dataclasses import dataclass
from typing import Any

import pandas as pd

from keel.backtest.parallel import Executor
from keel.models.evaluation import scorecard
from keel.models.features import build_dataset
from keel.models.hybrid import HybridModel
from keel.models.latest import fit_latest
from keel.models.report import to_json
from keel.models.walkforward import EvaluationConfig, run_walk_forward

FORMAT = 1


@dataclass(frozen=True)
class Artifact:
    """A model and what describes it; `version` identifies the pair."""

    model: HybridModel
    metadata: dict[str, Any]

    @property
    def version(self) -> str:
        return artifact_version(self.metadata)


def artifact_version(metadata: dict[str, Any]) -> str:
    """First 12 hex digits of the SHA-256 of the metadata without its scorecard (and version)."""
    described = {k: v for k, v in metadata.items() if k not in ("scorecard", "version")}
    return hashlib.sha256(to_json(described).encode()).hexdigest()[:12]


def build_metadata(
    card: dict[str, Any], data_from: str, data_to: str, code_version: str
) -> dict[str, Any]:
    """Metadata of a model trained on data_from … data_to, with its walk-forward scorecard."""
    return {
        "format": FORMAT,
        "symbol": card["symbol"],
        "data_from": data_from,
        "data_to": data_to,
        "features": card["features"],
        "parameters": {
            "circuit": card["circuit"],
            "label_horizon_days": card["label_horizon_days"],
            "dead_zone": card["dead_zone"],
            "refit_period": card["refit_period"],
            "min_regime_days": card["min_regime_days"],
        },
        "seed": card["seed"],
        "code_version": code_version,
        "scorecard": card,
    }


def dump_model(model: HybridModel) -> bytes:
    """The model's bytes (a pickle)."""
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def load_model(data: bytes) -> HybridModel:
    """A model from `dump_model` bytes; only for bytes from a store you trust."""
    model = pickle.loads(data)  # nosec B301 - bytes from Keel's own object store only
    if not isinstance(model, HybridModel):
        raise ValueError("these bytes do not hold a Keel hybrid model")
    return model


def dump_metadata(metadata: dict[str, Any]) -> bytes:
    """Canonical JSON bytes of the metadata."""
    return to_json(metadata).encode()


def load_metadata(data: bytes) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(data)
    return loaded


def train(
    bars: pd.DataFrame,
    config: EvaluationConfig,
    code_version: str,
    executor: Executor | None = None,
) -> Artifact:
    """Walk-forward over daily `bars` (scorecard, validation days), then the model on all days."""
    walk = run_walk_forward(build_dataset(config.symbol, bars), config, executor=executor)
    card = scorecard(walk, bars)
    first, last = (pd.Timestamp(bars.index[i]).date().isoformat() for i in (0, -1))
    metadata = build_metadata(card, first, last, code_version)
    metadata["version"] = artifact_version(metadata)
    return Artifact(fit_latest(walk), metadata)
