"""Calibration of regime thresholds and the figures that judge a classifier on history.

`calibrate_thresholds` places the three thresholds at quantiles of the annualised EWMA vol of a
history (in-sample: a calibration, not a forecast). `thresholds_before` does it per instrument on
its own bars before a date only (a scenario's start), so a naturally livelier instrument gets
higher thresholds and a calm year of it is not HIGH; on SPX's whole history it gives the default
thresholds. `regime_metrics` measures a label series:
switches a year, the share of short regime runs, coverage of known crisis windows and how many
trading days detection took. `keel regimes calibrate` prints both for a bundled symbol.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from keel.domain.enums import Regime
from keel.volatility.estimators import ewma_vol
from keel.volatility.regimes import (
    DEFAULT_THRESHOLDS,
    RegimeClassifier,
    RegimeReading,
    target_regime,
)
from keel.volatility.returns import TRADING_DAYS_PER_YEAR

DEFAULT_QUANTILES: tuple[float, float, float] = (0.25, 0.78, 0.97)
"""Quantiles of the EWMA vol distribution at which LOW|NORMAL, NORMAL|HIGH, HIGH|EXTREME sit."""

NAIVE_THRESHOLDS: tuple[float, float, float] = (0.12, 0.20, 0.30)
"""Round-number thresholds without hysteresis, the baseline that flaps."""

CRISIS_WINDOWS: dict[str, tuple[str, str]] = {
    "2008 crash": ("2008-09-15", "2009-03-09"),
    "2011 downgrade": ("2011-08-08", "2011-08-31"),
    "2015 flash crash": ("2015-08-20", "2015-09-04"),
    "2018 Volmageddon": ("2018-02-02", "2018-02-16"),
}
CALM_WINDOWS: dict[str, tuple[str, str]] = {"2017 calm": ("2017-01-01", "2017-12-31")}
SHOCK_DAYS: tuple[str, ...] = ("2015-08-24", "2018-02-05")
SHORT_RUN_DAYS = 2
MIN_CALIBRATION_BARS = 252
"""Bars (about a year) an instrument needs before its own thresholds replace the defaults."""


@dataclass(frozen=True)
class RegimeMetrics:
    """How a regime label series behaves over a history."""

    years: float
    switches: int
    switches_per_year: float
    runs: int
    short_run_share: float
    coverage: dict[str, float]
    detection_lag_days: dict[str, int | None]


def calibrate_thresholds(
    close: npt.ArrayLike,
    quantiles: tuple[float, float, float] = DEFAULT_QUANTILES,
    lam: float = 0.94,
    decimals: int = 3,
) -> tuple[float, float, float]:
    """Thresholds (annualised vol, rounded) at `quantiles` of the EWMA(lam) vol of `close`."""
    vol = ewma_vol(close, lam)
    values = np.quantile(vol[~np.isnan(vol)], quantiles)
    low, high, extreme = (round(float(v), decimals) for v in values)
    return (low, high, extreme)


@dataclass(frozen=True)
class InstrumentThresholds:
    """An instrument's regime thresholds and the history they come from.

    `bars` is the number of closes used, `first` and `last` their dates (None without history);
    `own` is False when there was too little history and the defaults (SPX's) apply.
    """

    thresholds: tuple[float, float, float]
    bars: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    own: bool


def thresholds_before(
    close: pd.Series,
    before: pd.Timestamp | str | None = None,
    quantiles: tuple[float, float, float] = DEFAULT_QUANTILES,
    min_bars: int = MIN_CALIBRATION_BARS,
) -> InstrumentThresholds:
    """Thresholds from the closes strictly before `before` (all of them when None).

    Never reads a bar on or after `before`: a scenario starting that day calibrates on its past
    only. Fewer than `min_bars` closes → `DEFAULT_THRESHOLDS` (``own`` False).
    """
    past = close if before is None else close[close.index < pd.Timestamp(before)]
    past = past.dropna()
    first = pd.Timestamp(past.index[0]) if len(past) else None
    last = pd.Timestamp(past.index[-1]) if len(past) else None
    if len(past) < min_bars:
        return InstrumentThresholds(DEFAULT_THRESHOLDS, len(past), first, last, own=False)
    thresholds = calibrate_thresholds(past.to_numpy(dtype=float), quantiles)
    return InstrumentThresholds(thresholds, len(past), first, last, own=True)


def classify_history(
    frame: pd.DataFrame, classifier: RegimeClassifier
) -> tuple[pd.Series, list[RegimeReading]]:
    """Run a fresh classifier over the closes of `frame`; labels are NaN while it warms up."""
    classifier.reset()
    readings = [classifier.classify(float(close)) for close in frame["Close"].to_numpy()]
    labels = [float(r.regime) if r.reason != "warming up" else np.nan for r in readings]
    return pd.Series(labels, index=frame.index, name="regime"), readings


def naive_labels(
    frame: pd.DataFrame, thresholds: tuple[float, ...] = NAIVE_THRESHOLDS, lam: float = 0.94
) -> pd.Series:
    """Regimes from thresholds on EWMA vol with no hysteresis at all (the flapping baseline)."""
    vol = ewma_vol(frame["Close"].to_numpy(), lam)
    labels = [np.nan if np.isnan(v) else float(target_regime(v, thresholds)) for v in vol]
    return pd.Series(labels, index=frame.index, name="regime")


def _runs(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    changes = np.flatnonzero(np.diff(values) != 0)
    bounds = np.concatenate([[0], changes + 1, [values.size]])
    return np.diff(bounds)


def _share_at_or_above(labels: pd.Series, start: str, end: str, regime: Regime) -> float:
    window = labels.loc[start:end].dropna()
    return float((window >= regime).mean()) if len(window) else float("nan")


def detection_lag(labels: pd.Series, day: str, regime: Regime = Regime.HIGH) -> int | None:
    """Trading days from `day` until the label is at least `regime` (None if not within 10)."""
    position = int(labels.index.searchsorted(pd.Timestamp(day)))
    window = labels.iloc[position : position + 10].to_numpy()
    hits = np.flatnonzero(window >= regime)
    return int(hits[0]) if hits.size else None


def regime_metrics(
    labels: pd.Series,
    windows: Iterable[tuple[str, tuple[str, str]]] | None = None,
    shock_days: Iterable[str] = SHOCK_DAYS,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> RegimeMetrics:
    """Switches a year (per `periods_per_year` labelled bars), short-run share, crisis coverage."""
    values = labels.dropna().to_numpy(dtype=np.float64)
    runs = _runs(values)
    years = values.size / periods_per_year
    switches = int(runs.size - 1)
    chosen = windows if windows is not None else [*CRISIS_WINDOWS.items(), *CALM_WINDOWS.items()]
    coverage = {
        name: _share_at_or_above(labels, start, end, Regime.HIGH) for name, (start, end) in chosen
    }
    lags = {day: detection_lag(labels, day) for day in shock_days}
    return RegimeMetrics(
        years=years,
        switches=switches,
        switches_per_year=switches / years if years else float("nan"),
        runs=int(runs.size),
        short_run_share=float((runs <= SHORT_RUN_DAYS).mean()) if runs.size else float("nan"),
        coverage=coverage,
        detection_lag_days=lags,
    )
