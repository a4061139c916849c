"""Which process runs which scenario.

- `--role all`: this process runs every scenario (no election; one process per database).
- `--role engine` on PostgreSQL: the process runs the scenarios whose advisory locks it holds and
  mirrors the others. One lock per scenario, all on one dedicated PostgreSQL connection: when its
  owner dies the connection ends, PostgreSQL releases its locks, and the next engine with room
  that tries one gets it. If that connection is lost while this process still runs, the process
  exits at once (code 70): another engine may already run its scenarios.
  - one leader (the default): the process first leads by the engine's advisory lock
    (`keel.server.roles`, taken before the server starts), then takes every scenario's lock, so
    it runs them all (and never one that an engine with `KEEL_ENGINE_MAX_SCENARIOS` runs);
  - with `KEEL_ENGINE_MAX_SCENARIOS=N`: no leader lock; at most N scenarios.
- `--role engine` on SQLite: one process, every scenario, no locks.
- `--role api`: runs none, mirrors every active one.

`claim(row)` returns the generation at which this process took the scenario (PostgreSQL's clock
when its lock was granted; this process's start without locks): a mirror applies the newest
engine state by it, so a late message from a dead owner never wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

import structlog

from keel.server.roles import (
    API,
    ENGINE,
    asyncpg_dsn,
    exit_now,
    leader_generation,
    process_name,
    spreads_scenarios,
)
from keel.server.settings import Settings

log = structlog.get_logger(__name__)

LOCK_CHECK_SECONDS = 2.0


def scenario_lock_key(scenario_id: str) -> int:
    """The advisory lock key (a signed 64-bit integer) of a scenario: its id's hash."""
    digest = hashlib.blake2b(f"keel-scenario:{scenario_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lost_scenario_locks() -> None:
    exit_now("the connection holding its scenario locks")


class ScenarioLocks:
    """This engine's scenario locks, on one PostgreSQL connection checked every few seconds."""

    def __init__(
        self,
        database_url: str,
        *,
        check_seconds: float = LOCK_CHECK_SECONDS,
        on_lost: Callable[[], None] = _lost_scenario_locks,
    ) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.check_seconds = check_seconds
        self.on_lost = on_lost
        self.held: dict[str, float] = {}
        """Scenario id → generation (epoch seconds on PostgreSQL's clock when granted)."""
        self._connection: Any = None
        self._lock = asyncio.Lock()  # one statement at a time on the connection
        self._watch: asyncio.Task[None] | None = None
        self._closing = False

    async def open(self) -> None:
        import asyncpg

        self._connection = await asyncpg.connect(self.dsn, timeout=10)
        self._watch = asyncio.create_task(self._watch_connection(), name="keel-scenario-locks")

    async def try_take(self, scenario_id: str) -> float | None:
        """Take the scenario's lock if nobody holds it; its generation, or None."""
        async with self._lock:
            row = await self._connection.fetchrow(
                "SELECT pg_try_advisory_lock($1) AS taken, "
                "extract(epoch FROM clock_timestamp())::float8 AS now",
                scenario_lock_key(scenario_id),
            )
        if not row["taken"]:
            return None
        self.held[scenario_id] = float(row["now"])
        log.info("engine runs scenario", scenario_id=scenario_id, process=process_name())
        return self.held[scenario_id]

    async def release(self, scenario_id: str) -> None:
        """Let another engine take the scenario (after this one stored its clock)."""
        if self.held.pop(scenario_id, None) is None:
            return
        async with self._lock:
            await self._connection.execute(
                "SELECT pg_advisory_unlock($1)", scenario_lock_key(scenario_id)
            )

    async def close(self) -> None:
        """Release every lock (by closing the connection)."""
        self._closing = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=2)
        self.held.clear()

    async def _watch_connection(self) -> None:
        import asyncpg

        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                async with self._lock:
                    await self._connection.fetchval(
                        "SELECT 1", timeout=max(self.check_seconds, 1.0)
                    )
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                if not self._closing:
                    self.on_lost()
                return


class Ownership:
    """Decides, scenario by scenario, whether this process runs it or mirrors it."""

    def __init__(self, settings: Settings) -> None:
        self.role = settings.role
        self.capacity = settings.engine_max_scenarios if spreads_scenarios(settings) else None
        locking = settings.role == ENGINE and not settings.is_sqlite
        self.locks = ScenarioLocks(settings.resolved_database_url) if locking else None

    async def open(self) -> None:
        if self.locks is not None:
            await self.locks.open()

    async def claim(self, scenario_id: str, running: int) -> float | None:
        """The generation at which this process runs the scenario from now on, or None (it
        mirrors it); `running`: how many scenarios the process runs already."""
        if self.role == API:
            return None
        if self.locks is None:
            return leader_generation()
        if self.capacity is not None and running >= self.capacity:
            return None
        return await self.locks.try_take(scenario_id)

    async def release(self, scenario_id: str) -> None:
        if self.locks is not None:
            await self.locks.release(scenario_id)

    async def close(self) -> None:
        if self.locks is not None:
            await self.locks.close()
