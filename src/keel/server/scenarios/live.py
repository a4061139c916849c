"""A scenario as a process runs it: its feed, its market clock, and the keeper of its stored clock.

`MarketClock` is the scenario's one clock: every component of the scenario (the execution engine
of its accounts, their ledgers, equity points) reads market time from it, never the wall clock.

`ClockKeeper` works for the engine that owns the scenario. Once a second (and when stopping) the
clock's position is stored on the scenario row, and control changes whose `control_version` is
newer than the last applied — written by an admin's request on any process or by
`keel scenarios` — are applied, so the database is the one channel for them. A request served by
the owning process applies its change at once (`apply`), without waiting for the next look.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from keel.server.market.feed import MarketFeed
from keel.server.pubsub import PubSub
from keel.server.scenarios import repository
from keel.server.scenarios.models import ScenarioRow

if TYPE_CHECKING:
    from keel.server.autopilot.runner import AutopilotRunner
    from keel.server.breakers.component import RiskRuntime
    from keel.server.mirror import EnginePublisher, StateMirror
    from keel.server.trading_runtime import TradingLoop

KEEP_EVERY_SECONDS = 1.0
"""How often the engine stores the clocks and looks for changes made elsewhere."""
MAX_SKIP_DAYS = 60
"""The most trading days one skip may jump (every instant is published: breakers see them all)."""


class MarketClock:
    """The scenario's market time: the feed's last published instant (its first open before)."""

    def __init__(self, feed: MarketFeed) -> None:
        self.feed = feed

    def now(self) -> datetime:
        return self.feed.market_time or self.feed.first_open


def clock_message(scenario_id: str, feed: MarketFeed) -> dict[str, object]:
    """The scenario clock as published on `scenario:<id>` and answered by the API."""
    market_date = feed.market_date
    return {
        "type": "clock",
        "scenario_id": scenario_id,
        "market_time": None if feed.market_time is None else feed.market_time.isoformat(),
        "market_date": None if market_date is None else market_date.isoformat(),
        "position": round(feed.position, 6),
        "paused": feed.paused,
        "seconds_per_day": feed.seconds_per_day,
        "finished": feed.finished,
    }


@dataclass
class LiveScenario:
    """One scenario in this process."""

    id: str
    feed: MarketFeed
    clock: MarketClock
    control_version: int
    allow_short: bool = False
    breaker_mode: str = "enforce"
    """`enforce` or `measure` (breakers record but bind nothing)."""
    max_position_fraction: Decimal | None = None
    """The most one position may be worth, as a share of the account's starting cash (a
    class's rule, enforced by the order gate's `PositionLimitCheck`); None: no such rule."""
    mirrored: bool = False
    """True where another process runs the scenario: its feed and breakers mirror that engine's
    published state (`keel.server.mirror`), and it has no engine loop or clock keeper here."""
    generation: float = 0.0
    """When this process took the scenario over (`keel.server.scenarios.ownership`)."""
    risk: RiskRuntime | None = None
    trading: TradingLoop | None = None
    autopilot: AutopilotRunner | None = None
    keeper: ClockKeeper | None = None
    publisher: EnginePublisher | None = None
    mirror: StateMirror | None = None

    @property
    def channel(self) -> str:
        return f"scenario:{self.id}"


class ClockKeeper:
    """Stores a scenario's clock and applies control changes (engine processes only).

    The scenario supervisor (`keel.server.scenarios.launcher`) calls `sync` for every scenario of
    the process once a second, so the clocks cost one read and one write transaction per second
    together, however many scenarios run.
    """

    def __init__(
        self,
        scenario: LiveScenario,
        sessionmaker: async_sessionmaker[AsyncSession],
        pubsub: PubSub,
    ) -> None:
        self.scenario = scenario
        self.sessionmaker = sessionmaker
        self.pubsub = pubsub
        self._stored: float | None = None
        self._announced: date | None = None
        self._lock = asyncio.Lock()

    @property
    def moved(self) -> bool:
        """Whether the clock moved since it was last stored."""
        return self._stored != self.scenario.feed.position

    def clock_values(self) -> dict[str, Any]:
        """The scenario row's clock columns as they are now."""
        feed = self.scenario.feed
        return {"id": self.scenario.id, "position": feed.position, "market_time": feed.market_time}

    def stored(self, position: float) -> None:
        """Note that `position` was stored."""
        self._stored = position

    async def announce_new_day(self) -> None:
        """Publish the clock when the market date moved since the last announcement, so the
        app's "market date" follows the replay without polling (at most one message a market
        day: a clock changed by a person is published by `apply`)."""
        feed = self.scenario.feed
        if feed.market_date is None or feed.market_date == self._announced:
            return
        self._announced = feed.market_date
        await self.pubsub.publish(self.scenario.channel, clock_message(self.scenario.id, feed))

    async def store(self) -> None:
        """Store the feed's position if it moved (only ever forward)."""
        if not self.moved:
            return
        values = self.clock_values()
        async with self.sessionmaker.begin() as session:
            await repository.save_clock(
                session,
                self.scenario.id,
                position=values["position"],
                market_time=values["market_time"],
            )
        self._stored = values["position"]

    async def sync(self, row: ScenarioRow) -> None:
        """Apply `row`'s controls if someone changed them since (`control_version`)."""
        if row.control_version > self.scenario.control_version:
            await self.apply(row)

    async def apply(self, row: ScenarioRow) -> None:
        """Make the live scenario obey `row`'s controls (pause, speed, skip target); publish."""
        async with self._lock:
            if row.control_version <= self.scenario.control_version:
                return
            feed = self.scenario.feed
            self.scenario.control_version = row.control_version
            if feed.seconds_per_day != row.seconds_per_day:
                feed.set_speed(row.seconds_per_day)
            if row.paused and not feed.paused:
                feed.pause()
            elif not row.paused and feed.paused:
                feed.resume()
            if row.target_position is not None and row.target_position > feed.position:
                await feed.advance_to(row.target_position)
            await self.store()
            await self.pubsub.publish(self.scenario.channel, clock_message(self.scenario.id, feed))
