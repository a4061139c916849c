"""The process-wide runtime: settings, database, and the long-lived components started with the app.

Feature modules reach it through the `RuntimeDep` dependency; tests build one per backend.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from keel.domain.clock import Clock, WallClock
from keel.server import sealing
from keel.server.db import create_engine, create_sessionmaker
from keel.server.settings import Settings

if TYPE_CHECKING:
    from keel.server.scenarios.live import LiveScenario

Hook = Callable[["Runtime"], Awaitable[None]]

# Components register start/stop hooks at import time (feed, breakers, pub/sub, limiter …).
_START_HOOKS: list[tuple[int, Hook]] = []
_STOP_HOOKS: list[tuple[int, Hook]] = []


def on_start(order: int = 100) -> Callable[[Hook], Hook]:
    """Decorator: run `hook(runtime)` when the runtime starts, in ascending `order`."""

    def register(hook: Hook) -> Hook:
        _START_HOOKS.append((order, hook))
        return hook

    return register


def on_stop(order: int = 100) -> Callable[[Hook], Hook]:
    """Decorator: run `hook(runtime)` when the runtime stops, in ascending `order`."""

    def register(hook: Hook) -> Hook:
        _STOP_HOOKS.append((order, hook))
        return hook

    return register


@dataclass
class Runtime:
    settings: Settings
    database: AsyncEngine
    """The SQL connection pool (not the trading engine, `keel.engine`)."""
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock = field(default_factory=WallClock)
    scenarios: dict[str, LiveScenario] = field(default_factory=dict)
    """The scenarios this process runs (or mirrors), by id."""
    components: dict[str, Any] = field(default_factory=dict)
    """Long-lived components by name (e.g. "pubsub", "limiter", "market"), set by start hooks."""

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
        for _, hook in sorted(_START_HOOKS, key=lambda item: item[0]):
            await hook(self)

    async def stop(self) -> None:
        for _, hook in sorted(_STOP_HOOKS, key=lambda item: item[0]):
            await hook(self)
        await self.database.dispose()
