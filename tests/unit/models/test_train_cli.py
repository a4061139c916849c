"""`keel train` stores a versioned model and its metadata in the object store; it loads back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from keel.domain.enums import Regime
from keel.market.datasets import load_bundled
from keel.models.artifact import artifact_version, load_metadata, load_model
from keel.models.features import build_dataset

KEEL = Path(sys.executable).parent / "keel"


@pytest.mark.slow
def test_train_stores_a_model_that_loads_and_explains_a_signal(tmp_path: Path) -> None:
    env = {**os.environ, "KEEL_VAR_DIR": str(tmp_path / "var"), "KEEL_OBJECT_STORE_URL": ""}
    done = subprocess.run(
        [
            str(KEEL),
            "train",
            "--symbol",
            "SPX",
            "--first-validation",
            "2002-01-01",
            "--first-test",
            "2003-01-01",
            "--last-day",
            "2003-12-31",
            "--circuit-steps",
            "5",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    folders = list((tmp_path / "var" / "objects" / "models" / "SPX").iterdir())
    assert len(folders) == 1
    version = folders[0].name
    assert f"stored SPX model {version}" in done.stdout
    metadata = load_metadata((folders[0] / "metadata.json").read_bytes())
    assert metadata["version"] == version == artifact_version(metadata)
    assert (metadata["data_from"], metadata["data_to"]) == ("1999-01-04", "2003-12-31")
    assert metadata["seed"] == 0 and metadata["code_version"] == "0.1.0"
    assert metadata["parameters"]["circuit"]["steps"] == 5
    assert metadata["scorecard"]["scored_days"] == 251
    assert "hybrid" in metadata["scorecard"]["models"]

    model = load_model((folders[0] / "model.pkl").read_bytes())
    dataset = build_dataset("SPX", load_bundled("SPX").loc[:"2003-12-31"])
    signal = model.signal(dataset.matrix[-1], Regime.NORMAL, timer=time.perf_counter)
    assert signal.used_quantum and set(signal.votes) == {"logistic", "boosting", "quantum"}
    again = model.signal(dataset.matrix[-1], Regime.NORMAL)
    assert np.isclose(again.probability_up, signal.probability_up)


def test_bytes_that_are_no_model_are_refused() -> None:
    import pickle

    with pytest.raises(ValueError, match="do not hold a Keel hybrid model"):
        load_model(pickle.dumps({"not": "a model"}))
