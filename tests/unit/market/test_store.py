"""The DuckDB + Parquet history store on a temporary directory."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from keel.market import CLASSROOM, MarketStore, UnknownDataset, load_bundled


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MarketStore:
    market = MarketStore(tmp_path_factory.mktemp("market"))
    written = market.ensure_filled()
    assert set(written) == {"SPX", "IXIC", "GOOG", "EURUSD", "VIX"} | {t.symbol for t in CLASSROOM}
    return market


@pytest.mark.parametrize(
    ("symbol", "rows", "first", "last"),
    [
        ("SPX", 5031, datetime(1999, 1, 4), datetime(2018, 12, 31)),
        ("IXIC", 5031, datetime(1999, 1, 4), datetime(2018, 12, 31)),
        ("GOOG", 2148, datetime(2004, 8, 19), datetime(2013, 3, 1)),
        ("EURUSD", 5000, datetime(2017, 4, 19, 9), datetime(2018, 2, 7, 15)),
        ("VIX", 1259, datetime(2014, 1, 3), datetime(2019, 1, 3)),
    ],
)
def test_bundled_history_is_stored_whole(
    store: MarketStore, symbol: str, rows: int, first: datetime, last: datetime
) -> None:
    info = store.info(symbol)
    assert (info.rows, info.first, info.last) == (rows, first, last)
    assert not info.simulated


def test_symbols_carry_metadata(store: MarketStore) -> None:
    listed = {s.symbol: s for s in store.symbols()}
    assert len(listed) == 5 + len(CLASSROOM)
    assert listed["VIX"].tradable is False
    assert (listed["EURUSD"].frequency, listed["EURUSD"].asset_class) == ("1h", "fx")
    for ticker in CLASSROOM:
        info = listed[ticker.symbol]
        assert info.simulated and info.tradable and info.rows == 5031
        assert ticker.source in info.source


def test_stored_bars_equal_the_bundled_frame(store: MarketStore) -> None:
    pd.testing.assert_frame_equal(store.frame("GOOG"), load_bundled("GOOG"), check_freq=False)


def test_range_query_is_inclusive_at_both_ends(store: MarketStore) -> None:
    week = store.frame("SPX", date(2008, 9, 2), date(2008, 9, 5))
    assert [d.date() for d in week.index] == [date(2008, 9, d) for d in (2, 3, 4, 5)]
    bars = store.bars("spx", date(2008, 9, 15), date(2008, 9, 15))
    assert len(bars) == 1 and bars[0].close == Decimal("1192.7")  # Lehman day, real close
    hours = store.frame("EURUSD", date(2017, 4, 19), date(2017, 4, 19))
    assert hours.index[0] == pd.Timestamp("2017-04-19 09:00") and len(hours) == 15
    assert store.frame("SPX", date(2019, 1, 1), date(2019, 12, 31)).empty


def test_refilling_writes_nothing_and_a_new_seed_rewrites(
    store: MarketStore, tmp_path: Path
) -> None:
    assert store.ensure_filled() == []
    reseeded = MarketStore(store.root, seed=8)
    assert set(reseeded.ensure_filled()) >= {t.symbol for t in CLASSROOM}
    assert not reseeded.frame("ACME")["Close"].equals(
        MarketStore(tmp_path, seed=7).frame("ACME")["Close"]
    )
    MarketStore(store.root, seed=store.seed).ensure_filled()  # leave the shared store as it was


def test_unknown_symbol_is_refused(store: MarketStore) -> None:
    with pytest.raises(UnknownDataset):
        store.frame("NOPE")
    with pytest.raises(UnknownDataset):
        store.info("NOPE")
