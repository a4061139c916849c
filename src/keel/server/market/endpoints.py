"""Market data: instruments, bars (range queries) and the latest quotes of the live replay."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from keel.domain.instruments import instrument_label
from keel.server.deps import RuntimeDep
from keel.server.errors import ProblemError
from keel.server.market.component import ScenarioQuery, scenario_of
from keel.server.market.feed import MarketFeed
from keel.server.market.schemas import BarOut, InstrumentOut, MarketClockOut, QuoteOut
from keel.server.market.tradability import SEE_LIST, untradable_reason
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

router = APIRouter(tags=["instruments"])


def _feed(runtime: RuntimeDep, scenario: ScenarioQuery = DEFAULT_SCENARIO_ID) -> MarketFeed:
    return scenario_of(runtime, scenario).feed


FeedDep = Annotated[MarketFeed, Depends(_feed)]


def _known(feed: MarketFeed, symbol: str) -> str:
    normalised = symbol.strip().upper()
    if feed.instrument(normalised) is None:
        raise ProblemError(
            404,
            "unknown-symbol",
            f"There is no instrument called {symbol!r} here. {SEE_LIST}",
            figures={"symbol": normalised},
        )
    return normalised


@router.get("/instruments", summary="Every instrument, tradable or reference")
async def list_instruments(feed: FeedDep) -> list[InstrumentOut]:
    listed = []
    for item in feed.instruments.values():
        refused = untradable_reason(item, item.symbol)
        listed.append(
            InstrumentOut(
                symbol=item.symbol,
                name=item.info.name,
                asset_class=item.info.asset_class,
                frequency=item.info.frequency,
                tradable=refused is None,
                not_tradable_because=refused,
                live=item.replayed,
                quoted=feed.latest_quote(item.symbol) is not None,
                source=item.info.source,
                first_date=item.first_date,
                last_date=item.last_date,
            )
        )
    return listed


@router.get("/instruments/{symbol}/bars", summary="Completed bars in a date range")
async def list_bars(
    symbol: str,
    feed: FeedDep,
    start: Annotated[date | None, Query(description="first date, inclusive")] = None,
    end: Annotated[date | None, Query(description="last date, inclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[BarOut]:
    known = _known(feed, symbol)
    if start is not None and end is not None and start > end:
        raise ProblemError(
            422,
            "invalid-range",
            f"The start date ({start.isoformat()}) comes after the end date "
            f"({end.isoformat()}): swap them, or leave one out.",
        )
    bars = await asyncio.to_thread(feed.bars, known, start=start, end=end, limit=limit)
    return [BarOut.model_validate(bar) for bar in bars]


@router.get("/instruments/{symbol}/quote", summary="The latest quote of a live instrument")
async def get_quote(symbol: str, feed: FeedDep) -> QuoteOut:
    known = _known(feed, symbol)
    quote = feed.latest_quote(known)
    if quote is None:
        raise ProblemError(
            404,
            "no-quote",
            f"{instrument_label(known)} has no live price right now. "
            + (
                untradable_reason(feed.instrument(known), known)
                or "Try again once the market replay has started."
            ),
            figures={"symbol": known},
        )
    return QuoteOut.model_validate(quote)


@router.get("/quotes", summary="The latest quote of every live instrument")
async def list_quotes(feed: FeedDep) -> list[QuoteOut]:
    return [QuoteOut.model_validate(q) for q in feed.latest_quotes().values()]


@router.get("/market/clock", summary="Where the replay stands in market time")
async def market_clock(feed: FeedDep) -> MarketClockOut:
    return MarketClockOut(
        market_time=feed.market_time, market_date=feed.market_date, finished=feed.finished
    )
