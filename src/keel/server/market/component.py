"""Starts the market feed with the runtime: fills (or reuses) the history store, then the replay.

The store under `settings.market_dir` is written on the first start (off the event loop) and
reused afterwards. With `KEEL_REPLAY_AUTOSTART` (the default) an engine process advances the replay
by wall time in a background task; tests turn it off and call `feed.step()` by hand. Either way one
step is taken at start so every replayed symbol has a quote from the first request on.

An API replica (`--role api`) builds a `MirroredFeed` instead: the same instruments and bars, but
no replay of its own; its quotes and market time are the engine's (`keel.server.mirror`).
"""

from __future__ import annotations

import asyncio

from keel.market.store import MarketStore
from keel.server.market.feed import MarketFeed
from keel.server.market.history import load_instruments, open_store
from keel.server.mirror import MirroredFeed
from keel.server.pubsub import get_pubsub
from keel.server.roles import API, ENGINE_ROLES
from keel.server.runtime import Runtime, on_start, on_stop

FEED_ROLES = ENGINE_ROLES
"""Process roles that run the replay (an `api` replica mirrors the engine's)."""


def get_feed(runtime: Runtime) -> MarketFeed:
    feed: MarketFeed = runtime.components["market"]
    return feed


@on_start(order=20)
async def _start_feed(runtime: Runtime) -> None:
    settings = runtime.settings
    store = MarketStore(settings.market_dir, seed=settings.replay_seed)
    await asyncio.to_thread(open_store, store)
    instruments = await asyncio.to_thread(load_instruments, store)
    kind = MirroredFeed if settings.role == API else MarketFeed
    feed = kind(
        store,
        instruments,
        start=settings.replay_start,
        ticks_per_bar=settings.replay_ticks_per_bar,
        seconds_per_day=settings.replay_seconds_per_day,
        seed=settings.replay_seed,
        pubsub=get_pubsub(runtime),
    )
    runtime.components["market"] = feed
    if settings.role in FEED_ROLES:
        await feed.step()


@on_start(order=100)
async def _start_replay(runtime: Runtime) -> None:
    # Last of the start hooks: the risk runtime and the engine loop listen from the first step.
    settings = runtime.settings
    if settings.replay_autostart and settings.role in FEED_ROLES:
        get_feed(runtime).start_background()


@on_stop(order=1)
async def _stop_replay(runtime: Runtime) -> None:
    # First of the stop hooks: no step reaches a listener whose component is stopping.
    feed: MarketFeed | None = runtime.components.get("market")
    if feed is not None:
        await feed.stop_background()


@on_stop(order=10)
async def _stop_feed(runtime: Runtime) -> None:
    feed: MarketFeed | None = runtime.components.pop("market", None)
    if feed is not None:
        feed.store.close()
