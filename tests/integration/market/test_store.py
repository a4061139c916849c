"""The history store behind the market REST: filled on first start, reused, queried by range."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from httpx import AsyncClient

from keel.market.bars import bars_from_frame
from keel.market.datasets import load_bundled
from keel.server.market.component import get_feed
from keel.server.market.schemas import BarOut
from tests.integration.market.factories import started


def stored_files(market_dir: Path) -> dict[str, int]:
    """Every file of the store with its modification time (ns)."""
    return {
        str(path.relative_to(market_dir)): path.stat().st_mtime_ns
        for path in sorted(market_dir.rglob("*"))
        if path.is_file()
    }


async def test_the_store_is_filled_on_first_start_and_reused_after(
    database_url: str, tmp_path: Path
) -> None:
    market_dir = tmp_path / "market"
    assert not market_dir.exists()
    async with started(database_url, tmp_path) as runtime:
        assert runtime.settings.market_dir == market_dir
        symbols = set(get_feed(runtime).instruments)
    files = stored_files(market_dir)
    assert {"SPX", "IXIC", "GOOG", "EURUSD", "VIX", "ACME"} <= symbols
    assert {f"bars/{symbol}.parquet" for symbol in symbols} | {"VERSION", "symbols.parquet"} == set(
        files
    )
    async with started(database_url, tmp_path) as again:
        assert set(get_feed(again).instruments) == symbols
    assert stored_files(market_dir) == files  # the second start rewrote nothing


@pytest.mark.parametrize(
    ("symbol", "start", "end"),
    [
        ("SPX", "2008-01-02", "2008-01-31"),  # both ends are trading days, both included
        ("SPX", "2007-12-29", "2008-01-02"),  # a weekend start, a holiday inside
        ("IXIC", "2001-09-10", "2001-09-21"),  # the market shut after the attacks
        ("GOOG", "2004-08-01", "2004-08-31"),  # listed on 2004-08-19
        ("ACME", "2005-03-01", "2005-03-31"),  # a simulated classroom ticker
    ],
)
async def test_bars_range_query_returns_the_stored_history(
    client: AsyncClient, symbol: str, start: str, end: str
) -> None:
    response = await client.get(
        f"/api/v1/instruments/{symbol}/bars", params={"start": start, "end": end, "limit": 5000}
    )
    assert response.status_code == 200
    shown = response.json()
    if symbol == "ACME":  # simulated on the real index's trading days (Good Friday shut)
        days = load_bundled("SPX").loc[start:end].index
        assert [bar["time"][:10] for bar in shown] == [d.date().isoformat() for d in days]
        assert "2005-03-25" not in {bar["time"][:10] for bar in shown}
        return
    history = load_bundled(symbol).loc[start:end]  # label slicing: both ends inclusive
    expected = bars_from_frame(symbol, history, "1d")
    assert shown == [BarOut.model_validate(bar).model_dump(mode="json") for bar in expected]
    assert len(shown) == len(history) > 0


async def test_spx_january_2008_counts_every_trading_day(client: AsyncClient) -> None:
    history = load_bundled("SPX")
    days = history.loc["2008-01-02":"2008-01-31"]
    shown = (
        await client.get("/api/v1/instruments/SPX/bars?start=2008-01-02&end=2008-01-31")
    ).json()
    assert len(shown) == len(days)
    assert shown[0]["time"].startswith("2008-01-02") and shown[-1]["time"].startswith("2008-01-31")


async def test_bars_never_reach_the_replay_day_and_limit_keeps_the_latest(
    client: AsyncClient,
) -> None:
    shown = (
        await client.get("/api/v1/instruments/SPX/bars?start=2008-08-25&end=2009-12-31")
    ).json()
    before_replay = load_bundled("SPX").loc["2008-08-25":"2008-08-29"]
    assert [bar["time"][:10] for bar in shown] == [
        d.date().isoformat() for d in before_replay.index
    ]
    latest = (await client.get("/api/v1/instruments/SPX/bars?limit=3")).json()
    assert [bar["time"][:10] for bar in latest] == ["2008-08-27", "2008-08-28", "2008-08-29"]
    # The VIX history begins in 2014: in a 2008 replay all of it is still the future.
    assert (await client.get("/api/v1/instruments/VIX/bars")).json() == []


@pytest.mark.parametrize(
    "query", ["start=0001-01-01&end=9999-12-31", "start=9999-01-01", "end=0001-01-01"]
)
async def test_far_off_dates_are_an_empty_or_full_range_not_an_error(
    client: AsyncClient, query: str
) -> None:
    response = await client.get(f"/api/v1/instruments/GOOG/bars?{query}&limit=5000")
    assert response.status_code == 200
    shown = response.json()
    if query.startswith("start=0001"):
        goog = load_bundled("GOOG")
        assert len(shown) == len(goog[goog.index < pd.Timestamp(date(2008, 9, 2))])
    else:
        assert shown == []
