"""Starts the market feed with the runtime: loads the bundled history and runs the replay.

Outside the test environment the replay runs as a background task; under `KEEL_ENVIRONMENT=test` it
only moves when a test calls `feed.step()`, so tests are deterministic. Either way one step is taken
at start so every replayed symbol has a quote from the first request on.
"""

from __future__ import annotations

import asyncio
from datetime import date

from keel.market.calendar import trading_days
from keel.market.datasets import BUNDLED, DatasetInfo, load_bundled
from keel.market.simulator import CLASSROOM, simulate_ticker
from keel.server.market.feed import Instrument, MarketFeed
from keel.server.pubsub import get_pubsub
from keel.server.runtime import Runtime, on_start, on_stop
from keel.server.settings import Environment

_CACHE: dict[int, list[Instrument]] = {}
SIMULATED_RANGE = (date(1999, 1, 4), date(2018, 12, 31))


def load_instruments(seed: int) -> list[Instrument]:
    """Every bundled series plus the seeded classroom tickers (built once per process and seed)."""
    if seed not in _CACHE:
        items = [Instrument(info, load_bundled(symbol)) for symbol, (info, _) in BUNDLED.items()]
        days = trading_days(*SIMULATED_RANGE)
        for ticker in CLASSROOM:
            info = DatasetInfo(
                ticker.symbol,
                ticker.name,
                f"simulated (regime-switching GARCH calibrated on {ticker.source})",
                "1d",
                True,
                "equity",
            )
            items.append(Instrument(info, simulate_ticker(ticker, days, seed)))
        _CACHE[seed] = items
    return list(_CACHE[seed])


def get_feed(runtime: Runtime) -> MarketFeed:
    feed: MarketFeed = runtime.components["market"]
    return feed


@on_start(order=20)
async def _start_feed(runtime: Runtime) -> None:
    settings = runtime.settings
    instruments = await asyncio.to_thread(load_instruments, settings.replay_seed)
    feed = MarketFeed(
        instruments,
        start=settings.replay_start,
        ticks_per_bar=settings.replay_ticks_per_bar,
        seconds_per_day=settings.replay_seconds_per_day,
        seed=settings.replay_seed,
        pubsub=get_pubsub(runtime),
    )
    runtime.components["market"] = feed
    await feed.step()
    if settings.environment is not Environment.TEST and settings.role in {"all", "engine"}:
        feed.start_background()


@on_stop(order=10)
async def _stop_feed(runtime: Runtime) -> None:
    feed = runtime.components.pop("market", None)
    if feed is not None:
        await feed.stop_background()
