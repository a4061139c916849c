"""`keel regimes` and `keel regimes calibrate` end to end on bundled and user data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import keel.cli.regimes  # noqa: F401  (registers the sub-command)
from keel.cli import app

runner = CliRunner()


def test_regimes_writes_every_bar_and_a_plot(tmp_path: Path) -> None:
    out, png = tmp_path / "bars.json", tmp_path / "chart.png"
    result = runner.invoke(
        app,
        ["regimes", "--symbol", "SPX", "--from", "2008-09-01", "--to", "2008-12-31",
         "--json", str(out), "--plot", str(png)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bars = json.loads(out.read_text())
    assert bars[0]["date"] == "2008-09-02" and bars[-1]["date"] == "2008-12-31"
    october = {bar["date"]: bar for bar in bars}["2008-10-28"]
    assert october["regime"] == "EXTREME" and october["level"] in {"RESTRICTED", "CLOSED"}
    for column in ("close", "ewma", "garch", "yang_zhang", "confidence"):
        assert column in october
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "EXTREME" in result.output


def test_regimes_reads_a_user_csv(tmp_path: Path, spx: pd.DataFrame) -> None:
    csv = tmp_path / "mine.csv"
    spx.loc["2017-01-01":].reset_index().to_csv(csv, index=False)
    out = tmp_path / "bars.json"
    result = runner.invoke(app, ["regimes", "--data", str(csv), "--json", str(out)])
    assert result.exit_code == 0, result.output
    regimes = {bar["regime"] for bar in json.loads(out.read_text())}
    assert "LOW" in regimes


def test_regimes_needs_exactly_one_source() -> None:
    assert runner.invoke(app, ["regimes"]).exit_code != 0


def test_calibrate_prints_the_thresholds_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    result = runner.invoke(app, ["regimes", "calibrate", "--symbol", "SPX", "--json", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["thresholds"] == [0.103, 0.209, 0.396]
    hysteresis = figures["runs"]["threshold + hysteresis"]
    assert hysteresis["switches_per_year"] <= 6
    assert "10.3%" in result.output
