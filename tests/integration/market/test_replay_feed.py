"""The server's replay: keel.market's ReplayFeed published one market instant per step."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from keel.domain.money import to_price
from keel.domain.quotes import Quote
from keel.market.bars import SESSION_TZ
from keel.market.datasets import load_bundled
from keel.server.market.component import get_feed
from keel.server.market.feed import MarketFeed
from tests.integration.market.factories import started

TICKS = 8


def price(frame: pd.DataFrame, day: date | str, column: str) -> Decimal:
    """One field of a float OHLCV frame's bar on `day`, on the price grid."""
    return to_price(float(frame[column].loc[pd.Timestamp(day)]))


def close_of(symbol: str, day: date | str) -> Decimal:
    return price(load_bundled(symbol), day, "Close")


async def test_replay_from_september_first_opens_on_the_second(
    database_url: str, tmp_path: Path
) -> None:
    async with started(database_url, tmp_path, replay_ticks_per_bar=TICKS) as runtime:
        feed = get_feed(runtime)
        assert runtime.settings.replay_start == date(2008, 9, 1)  # Labor Day
        assert feed.market_date == date(2008, 9, 2) == feed.calendar[0]
        spx = feed.latest_quote("SPX")
        assert spx is not None
        assert spx.time.astimezone(SESSION_TZ).isoformat() == "2008-09-02T09:30:00-04:00"
        assert spx.last == price(load_bundled("SPX"), "2008-09-02", "Open")
        assert feed.previous_close("SPX") == close_of("SPX", "2008-08-29")


async def test_every_quote_lies_in_its_bar_and_each_day_ends_at_its_close(
    database_url: str, tmp_path: Path
) -> None:
    async with started(database_url, tmp_path, replay_ticks_per_bar=TICKS) as runtime:
        feed = get_feed(runtime)
        first = feed.latest_quotes()
        seen: dict[tuple[str, date], list[Quote]] = defaultdict(list)
        for quote in first.values():
            seen[quote.symbol, quote.time.astimezone(SESSION_TZ).date()].append(quote)
        completed = []
        days = 6
        for _ in range(days * TICKS - 1):
            quotes = await feed.step()
            assert quotes and len({q.time for q in quotes}) == 1  # one market instant a step
            for quote in quotes:
                seen[quote.symbol, quote.time.astimezone(SESSION_TZ).date()].append(quote)
            completed.extend(feed.completed_bars)
        assert feed.market_date == feed.calendar[days]
        assert feed.previous_close("SPX") == close_of("SPX", feed.calendar[days - 1])
        assert len(completed) == len(seen)  # every (symbol, day) walked has completed its bar
        for (symbol, day), quotes in seen.items():
            history = feed.instruments[symbol].history
            low, high = price(history, day, "Low"), price(history, day, "High")
            assert len(quotes) == TICKS
            assert all(low <= q.last <= high and q.bid < q.ask for q in quotes), (symbol, day)
            assert quotes[0].last == price(history, day, "Open")
            assert quotes[-1].last == price(history, day, "Close"), (symbol, day)
        for bar in completed:
            assert seen[bar.symbol, bar.time.astimezone(SESSION_TZ).date()][-1].last == bar.close


async def test_a_stalled_background_feed_replays_at_most_the_cap_and_skips_the_rest(
    database_url: str, tmp_path: Path
) -> None:
    async with started(database_url, tmp_path, replay_ticks_per_bar=TICKS) as runtime:
        shared = get_feed(runtime)
        now = [0.0]
        feed = MarketFeed(
            shared.store,
            list(shared.instruments.values()),
            start=date(2008, 9, 1),
            ticks_per_bar=TICKS,
            seconds_per_day=runtime.settings.replay_seconds_per_day,
            seed=runtime.settings.replay_seed,
            pubsub=shared.pubsub,
            max_catchup_days=2,
            wall=lambda: now[0],
        )
        instants: list[date] = []
        caught_up = asyncio.Event()

        async def listener(quotes: list[Quote]) -> None:
            instants.append(quotes[0].time.astimezone(SESSION_TZ).date())
            if len(instants) == 1:
                now[0] = 10_000.0  # the process stalls for hours of replay time
            if feed.market_date == feed.calendar[2] and instants[-1] == feed.calendar[2]:
                caught_up.set()

        feed.add_step_listener(listener)
        feed.start_background()
        await asyncio.wait_for(caught_up.wait(), timeout=60)
        await feed.stop_background()
        # The first instant, the rest of day one, all of day two, day three's open; nothing more.
        assert instants.count(feed.calendar[0]) == TICKS
        assert instants.count(feed.calendar[1]) == TICKS
        assert instants.count(feed.calendar[2]) == 1 and len(instants) == 2 * TICKS + 1
        days_behind = 10_000.0 / runtime.settings.replay_seconds_per_day
        assert feed.skipped_days > days_behind - 3  # the backlog was dropped
