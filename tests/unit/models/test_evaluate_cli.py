"""`keel evaluate` gives byte-identical JSON on two runs, in one process or on a process pool."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KEEL = Path(sys.executable).parent / "keel"
REDUCED = [
    "evaluate",
    "--symbol",
    "SPX",
    "--first-validation",
    "2002-01-01",
    "--first-test",
    "2003-01-01",
    "--last-test",
    "2003-12-31",
    "--circuit-steps",
    "5",
]


@pytest.mark.slow
def test_two_runs_give_byte_identical_json(tmp_path: Path) -> None:
    outputs = []
    for run, workers in enumerate(("1", "2")):
        out = tmp_path / f"run{run}.json"
        markdown = tmp_path / f"run{run}.md"
        done = subprocess.run(
            [
                str(KEEL),
                *REDUCED,
                "--workers",
                workers,
                "--json",
                str(out),
                "--markdown",
                str(markdown),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        assert markdown.read_text() in done.stdout
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    shown = subprocess.run(
        [str(KEEL), "evaluate", "--from-json", str(tmp_path / "run0.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == (tmp_path / "run0.md").read_text().strip()
    assert "hybrid" in shown.stdout and "RY──Rot" in shown.stdout
    card = json.loads(outputs[0])
    assert card["scored_from"] == "2003-01-02" and card["scored_to"] == "2003-12-30"
    assert card["scored_days"] == 251
    assert set(card["models"]) == {
        "always-up", "logistic", "boosting", "quantum", "quantum-kernel", "hybrid"
    }  # fmt: skip
    # 2003 had no LOW or EXTREME days by the default classifier: those regimes say so.
    assert card["models"]["hybrid"]["regimes"]["EXTREME"] == {
        "days": 0,
        "status": "insufficient data",
    }
    hybrid = card["models"]["hybrid"]["overall"]
    assert 0 <= hybrid["accuracy_pct"] <= 100 and hybrid["days"] == 251
    assert card["buy_and_hold"]["return_pct"] > 20  # SPX rose about 26 % in 2003


def test_a_market_without_daily_bars_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(KEEL), "evaluate", "--symbol", "EURUSD"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode != 0
    assert "not a bundled daily market" in done.stderr


def test_the_cli_default_circuit_steps_are_the_library_defaults() -> None:
    from keel.cli.options import CIRCUIT_STEPS
    from keel.models.circuit import CircuitConfig

    assert CircuitConfig().steps == CIRCUIT_STEPS
