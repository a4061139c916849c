"""One symbol's live volatility: streaming estimators and the regime classifier on completed daily
bars, the anomaly detector on quotes.

Everything is `keel.volatility`'s streaming objects; this class only feeds them in order and keeps
what the API shows. Vols are annualised fractions (0.20 = 20 % a year). GARCH(1,1) parameters are
fitted once, on the warm-up history (bars before the replay start), so no forecast uses later data.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

import pandas as pd

from keel.domain.enums import Regime
from keel.market.bars import session_bounds
from keel.volatility.anomalies import AnomalyDetector, AnomalyEvent
from keel.volatility.calibration import InstrumentThresholds
from keel.volatility.garch import GarchParams, GarchVol, fit_garch
from keel.volatility.regimes import RegimeReading, ThresholdRegimeClassifier, warming_up
from keel.volatility.streaming import (
    CloseToCloseVol,
    EwmaVol,
    GarmanKlassVol,
    ParkinsonVol,
    RogersSatchellVol,
    YangZhangVol,
)

MIN_GARCH_HISTORY = 250
"""Bars of warm-up history needed before GARCH(1,1) is fitted (about a year)."""
RECENT_ANOMALIES = 20


class BarEstimator(Protocol):
    value: float

    def update_bar(self, open_: float, high: float, low: float, close: float) -> float: ...


def estimator_set() -> dict[str, BarEstimator]:
    """The daily estimators by the name the API shows (21-day windows, EWMA λ 0.94)."""
    return {
        "close_to_close_21d": CloseToCloseVol(21),
        "ewma_094": EwmaVol(0.94),
        "parkinson_21d": ParkinsonVol(21),
        "garman_klass_21d": GarmanKlassVol(21),
        "rogers_satchell_21d": RogersSatchellVol(21),
        "yang_zhang_21d": YangZhangVol(21),
    }


@dataclass(frozen=True)
class RegimeChange:
    """A symbol's regime moved (`previous` None: the first reading, after warm-up)."""

    symbol: str
    previous: Regime | None
    reading: RegimeReading
    at: datetime


@dataclass
class SymbolVolatility:
    """Live volatility state of one tradable daily symbol."""

    symbol: str
    estimators: dict[str, BarEstimator] = field(default_factory=estimator_set)
    classifier: ThresholdRegimeClassifier = field(default_factory=ThresholdRegimeClassifier)
    detector: AnomalyDetector = field(default_factory=AnomalyDetector)
    calibration: InstrumentThresholds | None = None
    """Where the classifier's thresholds come from (None: the defaults, SPX's)."""
    garch: GarchVol | None = None
    reading: RegimeReading = field(default_factory=warming_up)
    as_of: date | None = None
    """Date of the last completed bar fed in."""
    bars_seen: int = 0
    anomalies: deque[AnomalyEvent] = field(default_factory=lambda: deque(maxlen=RECENT_ANOMALIES))

    def warm_up(self, history: pd.DataFrame) -> None:
        """Feed every bar of `history` (Open, High, Low, Close; dated index), oldest first.

        GARCH(1,1) is fitted on these closes when there are enough of them.
        """
        closes = history["Close"].to_numpy(float)
        if len(closes) >= MIN_GARCH_HISTORY:
            # An integrated fit (α + β = 1, e.g. the simulated INIT) starts its recursion from the
            # sample variance (`GarchParams.initial_variance`), so every symbol gets GARCH.
            self.garch = GarchVol(fit_garch(closes))
        frame = history[["Open", "High", "Low", "Close"]]
        for day, row in zip(frame.index, frame.itertuples(index=False), strict=True):
            self.on_bar(float(row[0]), float(row[1]), float(row[2]), float(row[3]), day)

    def on_bar(
        self, open_: float, high: float, low: float, close: float, day: date | pd.Timestamp
    ) -> RegimeReading:
        """Feed one completed daily bar; returns the regime reading for that day's close."""
        for estimator in self.estimators.values():
            estimator.update_bar(open_, high, low, close)
        if self.garch is not None:
            self.garch.update(close)
        self.reading = self.classifier.classify(close)
        self.as_of = pd.Timestamp(day).date()
        self.bars_seen += 1
        return self.reading

    def on_quote(self, price: float, at: datetime) -> list[AnomalyEvent]:
        """Judge one quote's price against the tick volatility before it; returns anomalies."""
        events = self.detector.update(price, at=at)
        self.anomalies.extend(events)
        return events

    @property
    def annualized_vol(self) -> float | None:
        """The EWMA(0.94) daily vol now (annualised), None before it is ready."""
        return _finite(self.estimators["ewma_094"].value)

    @property
    def garch_params(self) -> GarchParams | None:
        return self.garch.params if self.garch is not None else None

    def estimator_figures(self) -> dict[str, float | None]:
        """Every estimator's current annualised vol (None while warming up)."""
        figures = {name: _finite(e.value) for name, e in self.estimators.items()}
        figures["garch_11_forecast"] = _finite(self.garch.value) if self.garch else None
        return figures

    def bar_close_time(self) -> datetime | None:
        """End of the session of the last bar fed in (UTC), None before any bar."""
        return session_bounds(self.as_of)[1] if self.as_of is not None else None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
