"""Issue 8 part 5: regime thresholds per instrument, calibrated on its own past only."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import keel.cli.regimes  # noqa: F401  (registers the sub-command)
from keel.cli import app
from keel.domain.enums import Regime
from keel.market.datasets import load_bundled
from keel.volatility.calibration import classify_history, regime_metrics, thresholds_before
from keel.volatility.regimes import DEFAULT_THRESHOLDS, HysteresisConfig, ThresholdRegimeClassifier

START = "2008-09-01"


def test_spx_on_its_whole_history_keeps_the_issue_3_thresholds_and_figures(
    spx: pd.DataFrame,
) -> None:
    calibrated = thresholds_before(spx["Close"])
    assert calibrated.own and calibrated.bars == len(spx)
    assert calibrated.thresholds == DEFAULT_THRESHOLDS == (0.103, 0.209, 0.396)
    labels, _ = classify_history(
        spx, ThresholdRegimeClassifier(HysteresisConfig(calibrated.thresholds))
    )
    metrics = regime_metrics(labels)
    assert metrics.switches_per_year <= 6 and metrics.short_run_share <= 0.10
    assert metrics.coverage["2008 crash"] >= 0.95 and metrics.coverage["2017 calm"] == 0


def test_a_calibration_never_reads_a_bar_on_or_after_its_date(spx: pd.DataFrame) -> None:
    close = spx["Close"]
    honest = thresholds_before(close, START)
    future = close.copy()
    future[future.index >= pd.Timestamp(START)] *= np.linspace(1, 50, (close.index >= START).sum())
    assert thresholds_before(future, START) == honest
    assert honest.last == pd.Timestamp("2008-08-29") and honest.bars == len(
        close.loc[:"2008-08-29"]
    )


@pytest.mark.parametrize("symbol", ["IXIC", "GOOG"])
def test_a_livelier_instrument_gets_higher_thresholds_than_spx(
    symbol: str, spx: pd.DataFrame
) -> None:
    own = thresholds_before(load_bundled(symbol)["Close"], START).thresholds
    reference = thresholds_before(spx["Close"], START).thresholds
    assert all(mine > theirs for mine, theirs in zip(own, reference, strict=True)), own


def test_a_calm_year_of_the_nasdaq_is_not_high_on_its_own_thresholds() -> None:
    """2004 on IXIC: judged by SPX's thresholds, over a quarter of its days look HIGH; judged by
    its own past (1999–2003, thresholds from the bars before 2004 only), none do."""
    ixic = load_bundled("IXIC").loc[:"2004-12-31"]
    own = thresholds_before(ixic["Close"], "2004-01-01")
    shares = {}
    for name, thresholds in (("spx", DEFAULT_THRESHOLDS), ("own", own.thresholds)):
        labels, _ = classify_history(ixic, ThresholdRegimeClassifier(HysteresisConfig(thresholds)))
        shares[name] = float((labels.loc["2004"] >= Regime.HIGH).mean())
    assert shares["spx"] > 0.25 and shares["own"] == 0.0, shares


def test_too_little_history_falls_back_to_the_defaults() -> None:
    goog = load_bundled("GOOG")["Close"]
    calibrated = thresholds_before(goog, "2005-03-01")
    assert not calibrated.own and calibrated.thresholds == DEFAULT_THRESHOLDS
    assert 0 < calibrated.bars < 252


def test_calibrate_shows_a_symbols_thresholds_before_a_scenario(tmp_path: Path) -> None:
    out = tmp_path / "goog.json"
    runner = CliRunner()
    result = runner.invoke(
        app, ["regimes", "calibrate", "--symbol", "GOOG", "--before", START, "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    expected = thresholds_before(load_bundled("GOOG")["Close"], START)
    assert figures["scenario"]["thresholds"] == list(expected.thresholds)
    assert figures["scenario"]["bars"] == expected.bars and figures["scenario"]["own_history"]
    assert "before 2008-09-01" in result.output
    classroom = runner.invoke(app, ["regimes", "calibrate", "--symbol", "ACME"])
    assert classroom.exit_code == 0 and "ACME" in classroom.output


def test_regimes_judges_the_shown_bars_on_thresholds_from_before_them(tmp_path: Path) -> None:
    """GOOG from 2008-09-01: on its own past it enters the replay HIGH; on SPX's thresholds it
    would already be EXTREME (what kept it RESTRICTED from the first minute)."""
    out = tmp_path / "goog.json"
    result = CliRunner().invoke(
        app,
        ["regimes", "--symbol", "GOOG", "--from", START, "--to", "2008-09-30", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    first = json.loads(out.read_text())[0]
    assert (first["date"], first["regime"]) == ("2008-09-02", "HIGH")
    goog = load_bundled("GOOG").loc[:"2008-09-02"]
    labels, _ = classify_history(goog, ThresholdRegimeClassifier())
    assert Regime(int(labels.iloc[-1])) is Regime.EXTREME
