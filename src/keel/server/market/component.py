"""The market of each scenario: the shared history store, a feed per scenario, its clock.

The store under `settings.market_dir` is written on the first start (off the event loop) and
reused afterwards (`load_market`). `start_feed` builds a scenario's feed; an engine resumes it at
the later of the stored clock and the latest market time any of the scenario's accounts stored (a
crash between two clock saves never replays an instant under an existing fill), silently:
nothing is published twice. A feed that starts from the beginning takes one step, so every symbol
has a quote from the first request on. With `KEEL_REPLAY_AUTOSTART` (the default) an engine
process advances each replay by wall time in a background task (`run_clock`); tests turn it off
and call `feed.step()` by hand.

A process that does not run a scenario (an API replica, or an engine that leaves it to another
engine) builds a `MirroredFeed` instead: the same instruments and bars, but no replay of its own;
its quotes and market time are those of the engine that runs it (`keel.server.mirror`).
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Annotated

from fastapi import Query

from keel.market.store import MarketStore
from keel.server.errors import ProblemError
from keel.server.market.feed import MarketFeed
from keel.server.market.history import Instrument, load_instruments, open_store
from keel.server.mirror import MirroredFeed
from keel.server.pubsub import get_pubsub
from keel.server.roles import ENGINE_ROLES
from keel.server.runtime import Runtime
from keel.server.scenarios.live import ClockKeeper, LiveScenario, MarketClock
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID, ScenarioRow
from keel.server.scenarios.sources import scenario_instruments
from keel.server.settings import Settings

FEED_ROLES = ENGINE_ROLES
"""Process roles that may run a scenario's replay (an `api` replica mirrors every one)."""


def get_feed(runtime: Runtime) -> MarketFeed:
    """The default scenario's feed."""
    return runtime.scenarios[DEFAULT_SCENARIO_ID].feed


ScenarioQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=36,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The scenario (market) to read; `default` when left out.",
    ),
]


def scenario_of(runtime: Runtime, scenario_id: str) -> LiveScenario:
    """The live scenario `scenario_id` of this process (409 when no engine here runs it)."""
    live = runtime.scenarios.get(scenario_id)
    if live is None:
        raise ProblemError(
            409,
            "scenario-not-running",
            "This account's market is not running right now. Ask your teacher or the "
            "administrator to start it.",
        )
    return live


def resume_position(feed: MarketFeed, stored: float, latest_time: datetime | None) -> float:
    """Where a restarted feed continues: past the stored clock and past the latest instant any
    account stored (half a tick beyond the tick to resume at, safe from float rounding)."""
    position = stored
    if latest_time is not None:
        position = max(position, feed.position_of(latest_time))
    tick = 1.0 / (feed.ticks_per_bar - 1)
    return (math.floor(position / tick + 1e-6) + 0.5) * tick


@dataclass
class MarketData:
    """The history store and its instruments, shared by every scenario of the process."""

    store: MarketStore
    instruments: list[Instrument]

    @cached_property
    def tradable(self) -> frozenset[str]:
        """Symbols some scenario may trade (replayed live)."""
        return frozenset(item.symbol for item in self.instruments if item.replayed)


def market_data(runtime: Runtime) -> MarketData:
    if runtime.market is None:
        raise RuntimeError("the runtime has not started")
    return runtime.market


async def load_market(settings: Settings) -> MarketData:
    """The history store (written on the first start, off the event loop) and its instruments."""
    store = MarketStore(settings.market_dir, seed=settings.replay_seed)
    await asyncio.to_thread(open_store, store)
    instruments = await asyncio.to_thread(load_instruments, store)
    return MarketData(store, instruments)


async def start_feed(
    runtime: Runtime, row: ScenarioRow, latest_time: datetime | None, *, runs: bool = True
) -> LiveScenario:
    """Build a scenario's feed (the launcher registers it in `runtime.scenarios` once the rest is
    attached). The process that `runs` it resumes it where its clock stopped (or takes its first
    step) and gives it a clock keeper; another mirrors it."""
    settings = runtime.settings
    data = market_data(runtime)
    instruments = await scenario_instruments(runtime, row, data.instruments)
    kind = MarketFeed if runs else MirroredFeed
    feed = kind(
        data.store,
        instruments,
        start=row.start_date,
        ticks_per_bar=settings.replay_ticks_per_bar,
        seconds_per_day=row.seconds_per_day,
        seed=settings.replay_seed if row.seed is None else row.seed,
        pubsub=get_pubsub(runtime),
        paused=row.paused,
        scenario_id=row.id,
        stale_after=settings.feed_stale_seconds,
    )
    live = LiveScenario(
        row.id,
        feed,
        MarketClock(feed),
        row.control_version,
        allow_short=row.allow_short,
        breaker_mode=row.breaker_mode,
        max_position_fraction=row.max_position_fraction,
        mirrored=not runs,
    )
    if runs:
        if row.position > 0 or latest_time is not None:
            target = resume_position(feed, row.position, latest_time)
            await asyncio.to_thread(feed.fast_forward, target)
        else:
            await feed.step()
        live.keeper = ClockKeeper(live, runtime.sessionmaker, get_pubsub(runtime))
        await live.keeper.store()
    return live


def stale_quotes_problem(feed: MarketFeed) -> ProblemError | None:
    """The refusal for an order while the feed's quotes are stale (None when they are fresh):
    filling at a price that stopped moving would be a price the market no longer has."""
    stale = feed.stale_for()
    if not stale:
        return None
    return ProblemError(
        503,
        "market-data-stale",
        f"New prices have not arrived for {stale:.0f} seconds, so no order can be filled at a "
        "fair price right now. Nothing was bought or sold. Try again in a minute.",
        headers={"Retry-After": "15"},
        figures={"seconds_without_prices": round(stale, 1)},
    )


def run_clock(runtime: Runtime, live: LiveScenario) -> None:
    """Start the scenario's replay (with `KEEL_REPLAY_AUTOSTART`; tests step it by hand)."""
    if runtime.settings.replay_autostart and not live.mirrored:
        live.feed.start_background()


async def stop_clock(live: LiveScenario) -> None:
    """Stop the scenario's replay and store where its clock stopped."""
    await live.feed.stop_background()
    if live.keeper is not None:
        await live.keeper.store()
