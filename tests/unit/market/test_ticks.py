"""Brownian-bridge ticks: they honour every bar's OHLC and are reproducible per seed."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.market import load_bundled, synthesize_quotes, synthesize_ticks
from keel.market.hashing import bar_keys
from keel.market.ticks import bridge_paths

TICKS = 64


@pytest.fixture(scope="module")
def spx() -> pd.DataFrame:
    return load_bundled("SPX")


def test_every_spx_tick_honours_its_bar(spx: pd.DataFrame) -> None:
    block = synthesize_ticks(spx, "SPX", ticks_per_bar=TICKS, seed=7)
    prices = block.prices
    low = spx["Low"].to_numpy()[:, None]
    high = spx["High"].to_numpy()[:, None]
    assert prices.shape == (5031, TICKS)
    assert ((prices >= low) & (prices <= high)).all()
    assert (prices[:, 0] == spx["Open"].to_numpy()).all()
    assert (prices[:, -1] == spx["Close"].to_numpy()).all()
    assert (prices == low).any(axis=1).all()
    assert (prices == high).any(axis=1).all()


def test_tick_times_walk_the_session(spx: pd.DataFrame) -> None:
    block = synthesize_ticks(spx.iloc[:50], "SPX", ticks_per_bar=TICKS, seed=7)
    assert (np.diff(block.times_ns, axis=1) > 0).all()
    first, last = block.ticks(0, 0, 1)[0], block.ticks(0, -1)[0]
    assert (first.time.hour, first.time.minute) == (14, 30)  # 09:30 New York in January
    assert (last.time.hour, last.time.minute) == (21, 0)
    assert last.price == Decimal("1228.1")


def test_same_seed_same_ticks_other_seed_other_ticks(spx: pd.DataFrame) -> None:
    part = spx.iloc[2400:2460]
    one = synthesize_ticks(part, "SPX", ticks_per_bar=TICKS, seed=11).prices
    two = synthesize_ticks(part, "SPX", ticks_per_bar=TICKS, seed=11).prices
    other = synthesize_ticks(part, "SPX", ticks_per_bar=TICKS, seed=12).prices
    other_symbol = synthesize_ticks(part, "IXIC", ticks_per_bar=TICKS, seed=11).prices
    assert np.array_equal(one, two)
    assert not np.array_equal(one, other)
    assert not np.array_equal(one, other_symbol)


def test_a_bar_gets_the_same_ticks_alone_or_in_a_batch(spx: pd.DataFrame) -> None:
    batch = synthesize_ticks(spx.iloc[100:200], "SPX", ticks_per_bar=TICKS, seed=3).prices
    alone = synthesize_ticks(spx.iloc[150:151], "SPX", ticks_per_bar=TICKS, seed=3).prices
    assert np.array_equal(batch[50], alone[0])


def test_quotes_straddle_the_tick_with_the_requested_spread(spx: pd.DataFrame) -> None:
    part = spx.iloc[2430:2440]
    block = synthesize_quotes(part, "SPX", ticks_per_bar=TICKS, seed=7, spread_bps=10.0)
    relative = (block.ask - block.bid) / block.ticks.prices
    assert np.allclose(relative, 10.0 / 10_000)
    per_tick = part["Volume"].to_numpy()[:, None] * 0.05 / TICKS
    assert ((block.bid_size >= np.floor(per_tick * 0.5)) & (block.bid_size <= per_tick * 1.5)).all()
    for quote in block.quotes(0):
        assert quote.bid <= quote.last <= quote.ask
        assert quote.bid_size is not None and quote.bid_size > 0


def test_a_volume_less_series_quotes_zero_size() -> None:
    vix = load_bundled("VIX").iloc[:5]
    block = synthesize_quotes(vix, "VIX", ticks_per_bar=8, seed=7)
    assert (block.bid_size == 0).all() and (block.ask_size == 0).all()
    assert (block.ticks.prices == vix["Close"].to_numpy()[:, None]).all()  # O = H = L = C


def test_too_few_ticks_are_refused(spx: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="at least 4"):
        synthesize_ticks(spx.iloc[:1], "SPX", ticks_per_bar=3, seed=7)


@st.composite
def ohlc_bars(draw: st.DrawFn) -> tuple[float, float, float, float]:
    low = draw(st.floats(0.01, 10_000.0))
    high = low + draw(st.floats(0.0, 500.0))
    open_ = draw(st.floats(low, high))
    close = draw(st.floats(low, high))
    return open_, high, low, close


@settings(max_examples=200, deadline=None)
@given(
    bar=ohlc_bars(),
    ticks=st.integers(4, 400),
    seed=st.integers(0, 2**31),
    start=st.integers(0, 2**60),
)
def test_any_bar_is_honoured(
    bar: tuple[float, float, float, float], ticks: int, seed: int, start: int
) -> None:
    open_, high, low, close = (np.array([v]) for v in bar)
    path = bridge_paths(open_, high, low, close, bar_keys(seed, "X", np.array([start])), ticks)[0]
    assert path[0] == open_[0] and path[-1] == close[0]
    assert path.min() == low[0] and path.max() == high[0]
