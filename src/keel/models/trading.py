"""Backtests of a model's signals through `keel.backtest`, costs included, beside buy and hold.

A decision is taken at day t's close and filled at the next open (the backtester's default), so
a signal never trades on the close it was computed from. Long only: a confident "up" (P(up) at
or above the optimizer's threshold for the day's regime) buys, a confident "down" sells to flat,
anything less confident keeps what is held. The "every call" variant is long on every up call and
flat on every down call.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import BuyAndHold
from keel.backtest.strategy import Bars, Strategy

COSTS = ExecutionSettings(cash=100_000.0, commission=0.0005, spread=0.0002)
"""0.05 % commission on each fill and a 0.02 % bid/ask spread (half paid on each fill)."""

SUMMARY = (
    "return_pct",
    "return_ann_pct",
    "sharpe",
    "max_drawdown_pct",
    "trade_count",
    "exposure_pct",
)


def confident_targets(probability: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """+1 (be long) on confident up calls, 0 (be flat) on confident down calls, NaN otherwise."""
    out = np.full(len(probability), np.nan)
    out[probability >= threshold] = 1.0
    out[1 - probability >= threshold] = 0.0
    return out


def every_call_targets(probability: np.ndarray) -> np.ndarray:
    """+1 on every up call, 0 on every down call."""
    return np.where(probability >= 0.5, 1.0, 0.0)


def _strategy_for(targets: np.ndarray, label: str) -> type[Strategy]:
    class ModelSignals(Strategy):
        """Follows precomputed per-bar targets (a prefix of bars sees the same prefix)."""

        name = label
        description = "Trades a model's out-of-sample signals."
        planned: ClassVar[np.ndarray] = targets

        def init(self, bars: Bars) -> None:
            self._length = len(bars)

        def signals(self) -> np.ndarray:
            return self.planned[: self._length]

    return ModelSignals


def backtest_targets(bars: pd.DataFrame, targets: np.ndarray, label: str) -> dict[str, Any]:
    """Headline figures of trading `targets` (one per bar of `bars`) with `COSTS`."""
    result = run_backtest(bars, _strategy_for(targets, label), settings=COSTS)
    return {key: result.stats[key] for key in SUMMARY}


def buy_and_hold(bars: pd.DataFrame) -> dict[str, Any]:
    """The same figures for buying on the first day and holding, same costs."""
    result = run_backtest(bars, BuyAndHold, settings=COSTS)
    return {key: result.stats[key] for key in SUMMARY}
