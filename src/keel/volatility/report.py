"""A per-bar table of every estimator and the regime, for the CLI, the API and notebooks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from keel.volatility import estimators as batch
from keel.volatility.garch import GarchParams, fit_garch, garch_forecast_vol
from keel.volatility.regimes import RegimeClassifier, ThresholdRegimeClassifier

ESTIMATOR_COLUMNS = (
    "close_to_close",
    "ewma",
    "parkinson",
    "garman_klass",
    "rogers_satchell",
    "yang_zhang",
    "garch",
)
"""Columns of annualised vol (decimal, 0.20 = 20 %) in `regime_report`."""


def estimator_table(
    frame: pd.DataFrame, garch_params: GarchParams | None = None, window: int = 21
) -> pd.DataFrame:
    """Every batch estimator over `frame` (OHLC), indexed like it; GARCH fitted if not given."""
    o, h, lo, c = (
        frame[col].to_numpy(dtype=np.float64) for col in ("Open", "High", "Low", "Close")
    )
    params = garch_params or fit_garch(c)
    columns = {
        "close": c,
        "close_to_close": batch.close_to_close_vol(c, window),
        "ewma": batch.ewma_vol(c),
        "parkinson": batch.parkinson_vol(h, lo, window),
        "garman_klass": batch.garman_klass_vol(o, h, lo, c, window),
        "rogers_satchell": batch.rogers_satchell_vol(o, h, lo, c, window),
        "yang_zhang": batch.yang_zhang_vol(o, h, lo, c, window),
        "garch": garch_forecast_vol(c, params),
    }
    return pd.DataFrame(columns, index=frame.index)


def regime_report(
    frame: pd.DataFrame,
    classifier: RegimeClassifier | None = None,
    garch_params: GarchParams | None = None,
    on_bar: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Estimators plus regime (name), confidence and reason per bar, from a fresh classifier.

    `on_bar(i)` is called after each bar is classified (for progress display).
    """
    table = estimator_table(frame, garch_params)
    chosen = classifier or ThresholdRegimeClassifier()
    chosen.reset()
    regimes, confidences, reasons = [], [], []
    for i, close in enumerate(table["close"].to_numpy()):
        reading = chosen.classify(float(close))
        regimes.append(reading.regime.name)
        confidences.append(reading.confidence)
        reasons.append(reading.reason)
        if on_bar is not None:
            on_bar(i)
    table["regime"] = regimes
    table["confidence"] = confidences
    table["reason"] = reasons
    return table
