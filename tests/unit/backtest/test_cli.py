"""`keel backtest` and `keel sweep` through Typer's runner, with the flags external tools use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from keel.cli import app
from keel.cli import backtest as _backtest  # noqa: F401  (registers the commands)
from keel.market.datasets import load_bundled

runner = CliRunner()

USER_STRATEGY = """
from keel.backtest.strategy import Context, Param, Strategy


class BuyTheDip(Strategy):
    name = "buy-the-dip"
    params = {"drop": Param(0.03)}

    def on_bar(self, ctx: Context) -> None:
        if ctx.close[-1] < ctx.close[-2] * (1 - self.p["drop"]):
            ctx.target(1)
        elif ctx.close[-1] > ctx.close[-2] * (1 + self.p["drop"]):
            ctx.target(0)
"""


def test_backtest_sma_cross_on_goog_writes_json_and_report(tmp_path: Path) -> None:
    out, report = tmp_path / "out.json", tmp_path / "report.html"
    result = runner.invoke(
        app,
        [
            "backtest",
            "--symbol",
            "GOOG",
            "--strategy",
            "sma-cross",
            "--param",
            "fast=10",
            "--param",
            "slow=30",
            "--cash",
            "10000",
            "--commission",
            "0",
            "--sizing",
            "all-in",
            "--long-short",
            "--fill",
            "next-open",
            "--json",
            str(out),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["stats"]["final_equity"] == 51_422.99
    assert document["stats"]["trade_count"] == 66
    assert round(document["stats"]["return_pct"], 4) == 414.2299
    assert 'id="equity-chart"' in report.read_text()


@pytest.mark.parametrize(
    ("money", "final_equity"),
    [([], 56_263.52), (["--money", "exact"], 56_263.52), (["--money", "grid"], 56_262.61)],
)
def test_backtest_commission_case_with_the_last_trade_open(
    tmp_path: Path, money: list[str], final_equity: float
) -> None:
    # The 93 trades / 56,263.52 is backtesting.py's arithmetic (the default); the live
    # engine's cent grid rounds each order's commission up, 91 cents in all over 187 fills.
    out = tmp_path / "out.json"
    args = ["backtest", "--symbol", "GOOG", "--param", "fast=10", "--param", "slow=20"]
    args += ["--commission", "0.002", "--long-short", "--keep-open", *money, "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    stats = json.loads(out.read_text())["stats"]
    assert (stats["trade_count"], stats["final_equity"]) == (93, final_equity)


def test_backtest_user_strategy_file_and_csv_data_with_dates(tmp_path: Path) -> None:
    strategy = tmp_path / "dip.py"
    strategy.write_text(USER_STRATEGY)
    data = tmp_path / "spx.csv"
    load_bundled("SPX").to_csv(data)
    out = tmp_path / "out.json"
    result = runner.invoke(
        app,
        [
            "backtest",
            "--data",
            str(data),
            "--strategy",
            f"{strategy}:BuyTheDip",
            "--param",
            "drop=0.02",
            "--from",
            "2008-01-01",
            "--to",
            "2009-12-31",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["stats"]["start"].startswith("2008-01-02")
    assert document["stats"]["end"].startswith("2009-12-31")
    assert document["stats"]["trade_count"] > 0


@pytest.mark.parametrize(
    "args",
    [
        ["--symbol", "GOOG", "--param", "nope=3"],
        ["--symbol", "GOOG", "--data", "x.csv"],
        ["--symbol", "GOOG", "--money", "approximate"],
    ],
)
def test_bad_arguments_are_reported(args: list[str]) -> None:
    result = runner.invoke(app, ["backtest", *args])
    assert result.exit_code != 0


def test_sweep_grid_with_heatmap(tmp_path: Path) -> None:
    out, heat = tmp_path / "sweep.json", tmp_path / "heat.png"
    result = runner.invoke(
        app,
        [
            "sweep",
            "--symbol",
            "GOOG",
            "--strategy",
            "sma-cross",
            "--grid",
            "fast=5:15:5",
            "--grid",
            "slow=40,80",
            "--long-short",
            "--workers",
            "1",
            "--json",
            str(out),
            "--heatmap",
            str(heat),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert len(document["rows"]) == 6
    best = max(document["rows"], key=lambda row: row["sharpe"])
    assert document["best"] == {"fast": best["fast"], "slow": best["slow"]}
    assert heat.stat().st_size > 0


def test_sweep_walk_forward(tmp_path: Path) -> None:
    out = tmp_path / "wf.json"
    result = runner.invoke(
        app,
        [
            "sweep",
            "--symbol",
            "SPX",
            "--grid",
            "fast=5,20",
            "--grid",
            "slow=50,100",
            "--walk-forward",
            "2000:1000",
            "--workers",
            "1",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    windows = json.loads(out.read_text())
    assert len(windows) == 3
    for window in windows:
        assert window["out_of_sample"][0] > window["in_sample"][1]
