"""The process-wide runtime: settings, database, and the long-lived components, typed.

`keel.server.lifespan` builds the components in one visible order when the runtime starts and
takes them down in reverse; each is `None` until then. Feature modules reach the runtime through
the `RuntimeDep` dependency; tests build one per backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from keel.domain.clock import Clock, WallClock
from keel.learning import Library
from keel.server import sealing
from keel.server.db import create_engine, create_sessionmaker
from keel.server.settings import Settings

if TYPE_CHECKING:
    from keel.server.accounts.state import FillCache
    from keel.server.auth.revocation import AccessDenylist
    from keel.server.auth.throttle import LoginThrottle
    from keel.server.backtests.jobs import BacktestJobs
    from keel.server.engine_commands import CommandServer
    from keel.server.flags.book import FlagBook
    from keel.server.market.component import MarketData
    from keel.server.objectstore import ObjectStore
    from keel.server.orders.desk import OrderDesk
    from keel.server.pubsub import PubSub
    from keel.server.ratelimit import RequestLimiter
    from keel.server.realtime.hub import Hub
    from keel.server.scenarios.launcher import ScenarioSupervisor
    from keel.server.scenarios.live import LiveScenario


def _fill_cache() -> FillCache:
    from keel.server.accounts.state import FillCache

    return FillCache()


@dataclass
class Runtime:
    settings: Settings
    database: AsyncEngine
    """The SQL connection pool (not the trading engine, `keel.engine`)."""
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock = field(default_factory=WallClock)
    """Wall time: tokens, audit (`recorded_at`). Market time is each scenario's `MarketClock`."""

    # Built by `keel.server.lifespan.start_runtime`, in this order.
    pubsub: PubSub | None = None
    objects: ObjectStore | None = None
    hub: Hub | None = None
    rate_limiter: RequestLimiter | None = None
    login_throttle: LoginThrottle | None = None
    access_denylist: AccessDenylist | None = None
    flags: FlagBook | None = None
    """Feature flags, evaluated by OpenFeature's flagd provider (`keel.server.flags.book`)."""
    lessons: Library | None = None
    """The lessons and glossary, checked (a malformed one stopped start-up)."""
    market: MarketData | None = None
    scenarios: dict[str, LiveScenario] = field(default_factory=dict)
    """Every active scenario, by id: run by this process, or mirrored (`LiveScenario.mirrored`)."""
    risk_limits_listener: Callable[[], None] | None = None
    engine_commands: CommandServer | None = None
    backtests: BacktestJobs | None = None
    scenario_supervisor: ScenarioSupervisor | None = None
    # Made on first use.
    order_desk: OrderDesk | None = None
    fill_cache: FillCache = field(default_factory=_fill_cache)
    """The process's cache of accounts' current-epoch fills."""

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock | None = None) -> Runtime:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        sealing.configure(settings.encryption_keys)
        database = create_engine(
            settings.resolved_database_url,
            pool_size=settings.database_pool_size,
            pre_ping=settings.database_pre_ping,
        )
        return cls(
            settings=settings,
            database=database,
            sessionmaker=create_sessionmaker(database),
            clock=clock or WallClock(),
        )

    async def start(self) -> None:
        from keel.server.lifespan import start_runtime

        await start_runtime(self)

    async def stop(self) -> None:
        from keel.server.lifespan import stop_runtime

        await stop_runtime(self)
        await self.database.dispose()
