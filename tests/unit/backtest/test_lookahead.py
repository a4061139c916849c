"""No look-ahead: reading a future bar raises; altering bars after t changes nothing before t."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import BUILTIN
from keel.backtest.strategy import Bars, Context, LookAheadError, Strategy
from keel.market.datasets import load_bundled

SPX = load_bundled("SPX").iloc[:1500]


class PeeksAtTomorrow(Strategy):
    name = "peeks"

    def on_bar(self, ctx: Context) -> None:
        if ctx.close[ctx.index + 1] > ctx.close[-1]:
            ctx.target(1)


class SlicesIntoTheFuture(Strategy):
    name = "slices"

    def on_bar(self, ctx: Context) -> None:
        ctx.close[: ctx.index + 5]


class CentredAverage(Strategy):
    """A centred moving average uses later bars: the runner must catch it."""

    name = "centred"

    def init(self, bars: Bars) -> None:
        self.indicator("centred", pd.Series(bars.close).rolling(11, center=True).mean())

    def on_bar(self, ctx: Context) -> None:
        if ctx.close[-1] > ctx.indicator("centred")[-1]:
            ctx.target(1)


@pytest.mark.parametrize("strategy", [PeeksAtTomorrow, SlicesIntoTheFuture])
def test_reading_a_future_bar_raises(strategy: type[Strategy]) -> None:
    with pytest.raises(LookAheadError, match="future"):
        run_backtest(SPX, strategy)


def test_a_non_causal_indicator_is_refused() -> None:
    with pytest.raises(LookAheadError, match="centred"):
        run_backtest(SPX, CentredAverage)


def test_reading_the_current_and_past_bars_is_allowed() -> None:
    seen: list[float] = []

    class Reader(Strategy):
        name = "reader"

        def on_bar(self, ctx: Context) -> None:
            seen.append(ctx.close[-1] - ctx.close[ctx.index] + ctx.close[0] + len(ctx.close[:]))

    run_backtest(SPX.iloc[:50], Reader)
    assert len(seen) == 49
    assert seen[0] == pytest.approx(SPX["Close"].iloc[0] + 2)


def _scramble_after(frame: pd.DataFrame, cut: int, seed: int) -> pd.DataFrame:
    changed = frame.copy()
    rng = np.random.default_rng(seed)
    factor = np.exp(rng.normal(0, 0.05, len(frame) - cut))
    changed.iloc[cut:, :4] = changed.iloc[cut:, :4].to_numpy() * factor[:, None]
    return changed


@settings(max_examples=12, deadline=None)
@given(
    name=st.sampled_from(sorted(BUILTIN)),
    cut=st.integers(min_value=300, max_value=1400),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_altering_bars_after_t_changes_nothing_before_t(name: str, cut: int, seed: int) -> None:
    execution = ExecutionSettings(long_short=True, commission=0.001, close_at_end=False)
    original = run_backtest(SPX, BUILTIN[name], None, execution)
    altered = run_backtest(_scramble_after(SPX, cut, seed), BUILTIN[name], None, execution)
    # Equity up to the close of t - 1 and every trade closed before t are unchanged.
    np.testing.assert_array_equal(original.equity[:cut], altered.equity[:cut])
    before = [t for t in original.trades if t.exit_bar < cut]
    assert before == [t for t in altered.trades if t.exit_bar < cut]
    np.testing.assert_array_equal(original.regimes[:cut], altered.regimes[:cut])
