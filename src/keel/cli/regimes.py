"""`keel regimes`: per-bar volatility estimators, regime and trading level; `keel regimes calibrate`."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from keel.cli import app
from keel.domain.enums import Regime
from keel.market.datasets import BUNDLED, load_bundled, load_file
from keel.market.simulator import CLASSROOM, simulate_ticker
from keel.risk.symbol_breaker import SymbolBreaker
from keel.volatility.calibration import (
    DEFAULT_QUANTILES,
    NAIVE_THRESHOLDS,
    InstrumentThresholds,
    RegimeMetrics,
    calibrate_thresholds,
    classify_history,
    naive_labels,
    regime_metrics,
    thresholds_before,
)
from keel.volatility.regimes import (
    DEFAULT_THRESHOLDS,
    HysteresisConfig,
    RegimeClassifier,
    ThresholdRegimeClassifier,
)
from keel.volatility.regimes_alt import MarkovRegimeClassifier, PercentileRegimeClassifier
from keel.volatility.report import ESTIMATOR_COLUMNS, regime_report

regimes_app = typer.Typer(
    help="Volatility estimators, regimes and trading levels over a price history.",
    invoke_without_command=True,
)
app.add_typer(regimes_app, name="regimes")
console = Console()


class ClassifierChoice(StrEnum):
    THRESHOLD = "threshold"
    PERCENTILE = "percentile"
    MARKOV = "markov"


def make_classifier(
    choice: ClassifierChoice, thresholds: tuple[float, float, float] | None = None
) -> RegimeClassifier:
    if choice is ClassifierChoice.PERCENTILE:
        return PercentileRegimeClassifier()
    if choice is ClassifierChoice.MARKOV:
        return MarkovRegimeClassifier()
    return ThresholdRegimeClassifier(HysteresisConfig(thresholds or DEFAULT_THRESHOLDS))


DEFAULT_SCENARIO_START = "2008-09-01"
"""The default replay's first day (`KEEL_REPLAY_START`), where the server calibrates."""


def load_symbol(symbol: str, seed: int = 7) -> pd.DataFrame:
    """A bundled symbol's history, or a classroom ticker as the server's store simulates it
    (on SPX's trading days, seeded like `KEEL_REPLAY_SEED`'s default)."""
    symbol = symbol.upper()
    if symbol in BUNDLED:
        return load_bundled(symbol)
    ticker = next((t for t in CLASSROOM if t.symbol == symbol), None)
    if ticker is None:
        known = ", ".join([*BUNDLED, *(t.symbol for t in CLASSROOM)])
        raise typer.BadParameter(f"unknown symbol {symbol}; known: {known}")
    return simulate_ticker(ticker, pd.DatetimeIndex(load_bundled("SPX").index), seed)


def _thresholds_line(symbol: str, calibrated: InstrumentThresholds, where: str) -> str:
    shown = ", ".join(f"{t:.1%}" for t in calibrated.thresholds)
    if not calibrated.own:
        return f"{symbol} {where}: {calibrated.bars} bars, too few; SPX's defaults {shown}"
    span = f"{calibrated.first:%Y-%m-%d} … {calibrated.last:%Y-%m-%d}"
    return f"{symbol} {where}: {calibrated.bars} bars {span} → {shown}"


def _load(symbol: str | None, data: Path | None, end: str | None) -> pd.DataFrame:
    if (symbol is None) == (data is None):
        raise typer.BadParameter("give exactly one of --symbol or --data")
    frame = load_bundled(symbol) if symbol is not None else load_file(data)  # type: ignore[arg-type]
    # Bars before --from still warm the estimators up; bars after --to are never read.
    return frame.loc[:end] if end else frame


def trading_levels(report: pd.DataFrame, symbol: str) -> tuple[list[str], str]:
    """Trading level per bar from keel.risk's symbol breaker fed each bar's regime; its name."""
    breaker = SymbolBreaker(symbol)
    levels = []
    for day, regime in zip(report.index, report["regime"], strict=True):
        at = datetime(day.year, day.month, day.day, 21, tzinfo=UTC)  # after the US close
        breaker.observe_regime(Regime[regime], at)
        levels.append(breaker.level.name)
    return levels, "keel.risk symbol breaker (cooldown and probing between levels)"


def _summary(report: pd.DataFrame, source: str) -> Table:
    table = Table(title=f"Regimes {report.index[0].date()} … {report.index[-1].date()} ({source})")
    for column in ("regime", "days", "share", "mean EWMA vol", "max EWMA vol"):
        table.add_column(column, justify="right" if column != "regime" else "left")
    for regime in Regime:
        rows = report[report["regime"] == regime.name]
        if rows.empty:
            table.add_row(regime.name, "0", "0.0 %", "–", "–")
            continue
        table.add_row(
            regime.name,
            str(len(rows)),
            f"{len(rows) / len(report):.1%}",
            f"{rows['ewma'].mean():.1%}",
            f"{rows['ewma'].max():.1%}",
        )
    return table


SHORT_NAMES = {
    "close_to_close": "c2c",
    "ewma": "ewma",
    "parkinson": "park",
    "garman_klass": "gk",
    "rogers_satchell": "rs",
    "yang_zhang": "yz",
    "garch": "garch",
}


def _last_bars(report: pd.DataFrame, count: int = 8) -> Table:
    table = Table(title="Last bars (annualised vol, %)")
    table.add_column("date", no_wrap=True)
    table.add_column("close", justify="right", no_wrap=True)
    for column in ESTIMATOR_COLUMNS:
        table.add_column(SHORT_NAMES[column], justify="right", no_wrap=True)
    table.add_column("regime", no_wrap=True)
    table.add_column("level", no_wrap=True)
    for day, row in report.tail(count).iterrows():
        vols = [f"{100 * row[c]:.1f}" if pd.notna(row[c]) else "–" for c in ESTIMATOR_COLUMNS]
        date = pd.Timestamp(str(day)).date()
        table.add_row(str(date), f"{row['close']:.2f}", *vols, row["regime"], row["level"])
    return table


@regimes_app.callback()
def regimes(
    ctx: typer.Context,
    symbol: str | None = typer.Option(None, "--symbol", help="Bundled symbol, e.g. SPX."),
    data: Path | None = typer.Option(None, "--data", help="CSV or Parquet with Date,OHLC[,V]."),
    start: str | None = typer.Option(None, "--from", help="First date shown (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last date used (YYYY-MM-DD)."),
    json_out: Path | None = typer.Option(None, "--json", help="Write every bar as JSON here."),
    plot_out: Path | None = typer.Option(None, "--plot", help="Write a PNG chart here."),
    classifier: ClassifierChoice = typer.Option(ClassifierChoice.THRESHOLD, "--classifier"),
) -> None:
    """Per bar: date, close, estimators, regime and trading level, with a summary table."""
    if ctx.invoked_subcommand is not None:
        return
    frame = _load(symbol, data, end)
    name = symbol.upper() if symbol else Path(str(data)).stem
    # The instrument's own thresholds: from the bars before --from when given (the shown bars
    # are then judged on their past only, as a replay starting there would), else its history.
    thresholds = thresholds_before(frame["Close"], start).thresholds
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"classifying {len(frame)} bars", total=len(frame))
        report = regime_report(
            frame,
            make_classifier(classifier, thresholds),
            on_bar=lambda i: progress.update(task, completed=i + 1) if i % 50 == 0 else None,
        )
    levels, source = trading_levels(report, name)
    report["level"] = levels
    shown = report.loc[start:] if start else report
    console.print(_summary(shown, classifier.value))
    console.print(_last_bars(shown))
    console.print(f"level source: {source}")
    if json_out is not None:
        records = shown.reset_index(names="date")
        records["date"] = records["date"].dt.strftime("%Y-%m-%d")
        json_out.write_text(records.to_json(orient="records", indent=1))
        console.print(f"wrote {len(records)} bars to {json_out}")
    if plot_out is not None:
        from keel.cli.regimes_plot import plot_regimes

        lines = thresholds if classifier is ClassifierChoice.THRESHOLD else ()
        plot_regimes(shown, name, plot_out, lines)
        console.print(f"wrote the chart to {plot_out}")


def _metrics_row(table: Table, label: str, metrics: RegimeMetrics) -> None:
    coverage = " ".join(f"{share:.0%}" for share in metrics.coverage.values())
    lags = " ".join(str(lag) for lag in metrics.detection_lag_days.values())
    table.add_row(
        label,
        f"{metrics.switches_per_year:.2f}",
        f"{metrics.short_run_share:.1%}",
        coverage,
        lags,
    )


@regimes_app.command("calibrate")
def calibrate(
    symbol: str = typer.Option(
        "SPX", "--symbol", help="Bundled or classroom symbol to calibrate on (e.g. GOOG, ACME)."
    ),
    before: str = typer.Option(
        DEFAULT_SCENARIO_START,
        "--before",
        help="A scenario's first day: also show the thresholds from the bars before it only.",
    ),
    alternatives: bool = typer.Option(False, help="Also judge the percentile and Markov ones."),
    json_out: Path | None = typer.Option(None, "--json", help="Write the figures as JSON here."),
) -> None:
    """Calibrate the thresholds on a symbol's history and print the acceptance figures."""
    symbol = symbol.upper()
    frame = load_symbol(symbol)
    thresholds = calibrate_thresholds(frame["Close"].to_numpy())
    console.print(
        f"{symbol}: EWMA(0.94) vol quantiles {DEFAULT_QUANTILES} → thresholds "
        + ", ".join(f"{t:.1%}" for t in thresholds)
        + " (LOW|NORMAL, NORMAL|HIGH, HIGH|EXTREME)"
    )
    scenario = thresholds_before(frame["Close"], before)
    console.print(_thresholds_line(symbol, scenario, f"before {before} (what a replay uses)"))
    runs: dict[str, RegimeMetrics] = {
        f"naive {NAIVE_THRESHOLDS}": regime_metrics(naive_labels(frame)),
        "threshold + hysteresis": regime_metrics(
            classify_history(frame, ThresholdRegimeClassifier(HysteresisConfig(thresholds)))[0]
        ),
    }
    if alternatives:
        for label, candidate in (
            ("rolling percentile", PercentileRegimeClassifier()),
            ("Markov filter", MarkovRegimeClassifier()),
        ):
            with console.status(f"running the {label} classifier"):
                runs[label] = regime_metrics(classify_history(frame, candidate)[0])
    example = next(iter(runs.values()))
    table = Table(title="Regime figures (coverage = share of days at HIGH or above)")
    table.add_column("classifier")
    table.add_column("switches / year", justify="right")
    table.add_column("runs ≤ 2 days", justify="right")
    table.add_column("coverage: " + ", ".join(example.coverage), justify="right")
    table.add_column("days to HIGH: " + ", ".join(example.detection_lag_days), justify="right")
    for label, metrics in runs.items():
        _metrics_row(table, label, metrics)
    console.print(table)
    if json_out is not None:
        payload = {
            "symbol": symbol,
            "thresholds": thresholds,
            "scenario": {
                "before": before,
                "thresholds": scenario.thresholds,
                "bars": scenario.bars,
                "own_history": scenario.own,
            },
            "runs": {k: asdict(v) for k, v in runs.items()},
        }
        json_out.write_text(json.dumps(payload, indent=1))
        console.print(f"wrote the figures to {json_out}")
