"""Backtest regimes are keel.volatility's default classifier; breaker levels are keel.risk's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from keel.backtest.live import bar_times_ns
from keel.backtest.regimes import breaker_levels, classifier_config, regime_series
from keel.backtest.runner import run_backtest
from keel.backtest.strategies import SmaCross
from keel.backtest.strategy import Bars
from keel.domain.enums import Permission, Regime
from keel.market.datasets import load_bundled
from keel.risk.symbol_breaker import DEFAULT_REGIME_LEVELS
from keel.volatility.calibration import classify_history
from keel.volatility.regimes import ThresholdRegimeClassifier


def _switching_walk(bars: int = 20_000, seed: int = 3) -> pd.DataFrame:
    """A seeded daily random walk whose volatility switches between 5 % and 80 % a year."""
    rng = np.random.default_rng(seed)
    vol = np.repeat(rng.choice([0.05, 0.12, 0.25, 0.5, 0.8], size=bars // 50), 50)
    close = 100 * np.exp(np.cumsum(rng.normal(0, vol / np.sqrt(252))))
    index = pd.bdate_range("1990-01-01", periods=len(close), name="Date")
    return pd.DataFrame({"Open": close, "High": close, "Low": close, "Close": close}, index=index)


@pytest.mark.parametrize("symbol", ["GOOG", "SPX", "IXIC", "EURUSD", "switching"])
def test_regimes_are_the_default_classifier_labels(symbol: str) -> None:
    frame = _switching_walk() if symbol == "switching" else load_bundled(symbol)
    classifier = ThresholdRegimeClassifier(classifier_config(pd.DatetimeIndex(frame.index)))
    labels, _ = classify_history(frame, classifier)
    expected = labels.fillna(float(Regime.NORMAL)).to_numpy().astype(np.int8)
    ours = regime_series(frame["Close"].to_numpy(), pd.DatetimeIndex(frame.index))
    np.testing.assert_array_equal(ours, expected)
    if symbol == "switching":
        assert set(np.unique(ours)) == {int(r) for r in Regime}


def test_regimes_are_causal() -> None:
    frame = _switching_walk(5_000)
    full = regime_series(frame["Close"].to_numpy(), pd.DatetimeIndex(frame.index))
    for cut in (100, 1_234, 4_000):
        head = frame.iloc[:cut]
        part = regime_series(head["Close"].to_numpy(), pd.DatetimeIndex(head.index))
        np.testing.assert_array_equal(part, full[:cut])


def test_breaker_levels_escalate_at_once_and_reopen_only_after_probing() -> None:
    frame = load_bundled("SPX")
    bars = Bars(frame)
    regimes = regime_series(bars.close, bars.index)
    levels, caps = breaker_levels(regimes, bar_times_ns(bars)[1], "SPX")
    demanded = np.array([DEFAULT_REGIME_LEVELS[Regime(int(r))] for r in regimes])
    assert (levels >= demanded).all()  # escalation is immediate
    lagging = levels > demanded
    assert lagging.any()  # hysteresis: cooldown and probing hold levels after the regime calms
    reopened = np.flatnonzero((levels[1:] == Permission.OPEN) & (levels[:-1] != Permission.OPEN))
    for bar in reopened + 1:
        # CAUTIOUS → OPEN needs the policy's 5 calm observations (one a day here).
        assert (levels[bar - 5 : bar] == Permission.CAUTIOUS).all()
    assert np.isnan(caps[levels == Permission.OPEN]).all()
    assert (caps[levels == Permission.CAUTIOUS] == 0.5).all()
    # RESTRICTED keeps new positions small (10 % of equity), not none; CLOSED allows none.
    restricted = levels == Permission.RESTRICTED
    assert restricted.any() and (caps[restricted] == 0.1).all()
    assert (caps[levels == Permission.CLOSED] == 0.0).all()


def test_backtest_results_carry_the_classifier_regimes() -> None:
    frame = load_bundled("GOOG")
    result = run_backtest(frame, SmaCross, None)
    np.testing.assert_array_equal(
        result.regimes, regime_series(frame["Close"].to_numpy(), pd.DatetimeIndex(frame.index))
    )
    assert sum(row["bars"] for row in result.stats["regimes"].values()) == len(frame) - 1
