"""Market endpoints and the replay feed, stepped by hand."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from keel.server.market.component import get_feed
from keel.server.runtime import Runtime


async def test_instruments_list_the_bundled_series(client: AsyncClient) -> None:
    response = await client.get("/api/v1/instruments")
    assert response.status_code == 200
    by_symbol = {item["symbol"]: item for item in response.json()}
    assert {"SPX", "IXIC", "GOOG", "VIX"} <= set(by_symbol)
    assert by_symbol["SPX"]["live"] is True
    assert by_symbol["VIX"]["tradable"] is False
    assert by_symbol["SPX"]["first_date"] == "1999-01-04"


async def test_replay_starts_at_the_configured_date_and_quotes_have_a_spread(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = get_feed(runtime)
    assert feed.market_date is not None and feed.market_date.isoformat() == "2008-09-02"
    quote = (await client.get("/api/v1/instruments/spx/quote")).json()
    assert Decimal(quote["bid"]) < Decimal(quote["ask"])
    assert quote["time"].startswith("2008-09-02")


async def test_quotes_stay_inside_the_bar_and_the_close_is_reached(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = get_feed(runtime)
    first = feed.latest_quote("SPX")
    assert first is not None  # the runtime's start published the day's first tick
    seen = [first.last]
    for _ in range(feed.ticks_per_bar - 2):
        quotes = await feed.step()
        seen.extend(q.last for q in quotes if q.symbol == "SPX")
    bars = (await client.get("/api/v1/instruments/SPX/bars?start=2008-09-02&end=2008-09-02")).json()
    assert bars == []  # the day is still forming until its last tick
    seen.extend(q.last for q in await feed.step() if q.symbol == "SPX")
    bars = (await client.get("/api/v1/instruments/SPX/bars?start=2008-09-02&end=2008-09-02")).json()
    assert len(bars) == 1
    low, high, close = (Decimal(bars[0][k]) for k in ("low", "high", "close"))
    assert all(low <= price <= high for price in seen)
    assert len(seen) == feed.ticks_per_bar
    assert seen[0] == Decimal(bars[0]["open"])
    assert seen[-1] == close
    assert low in seen and high in seen


async def test_bars_range_query_and_limit(client: AsyncClient) -> None:
    response = await client.get("/api/v1/instruments/SPX/bars?start=2008-01-01&end=2008-01-31")
    bars = response.json()
    assert len(bars) == 21  # trading days of January 2008
    assert bars[0]["time"].startswith("2008-01-02")
    limited = (await client.get("/api/v1/instruments/SPX/bars?limit=5")).json()
    assert len(limited) == 5
    assert limited[-1]["time"] < "2008-09-02"  # nothing from the future of the replay


async def test_unknown_symbol_and_bad_range_are_problems(client: AsyncClient) -> None:
    for url, status in [
        ("/api/v1/instruments/NOPE/quote", 404),
        ("/api/v1/instruments/NOPE/bars", 404),
        ("/api/v1/instruments/SPX/bars?start=2008-02-01&end=2008-01-01", 422),
        ("/api/v1/instruments/SPX/bars?limit=0", 422),
        ("/api/v1/instruments/SPX/bars?start=yesterday", 422),
        ("/api/v1/instruments/VIX/quote", 404),
    ]:
        response = await client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_all_quotes(client: AsyncClient) -> None:
    quotes = (await client.get("/api/v1/quotes")).json()
    symbols = {q["symbol"] for q in quotes}
    assert {"SPX", "IXIC", "GOOG", "ACME"} <= symbols
    assert "VIX" not in symbols and "EURUSD" not in symbols
