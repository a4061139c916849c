"""Process roles (`keel serve --role all|api|engine`) and the engine's leader election.

- `all`: one process runs the API, the market feed, the risk runtime and the trading loop (the
  embedded default; no election, never combine it with `engine` processes on one database).
- `engine`: the same work as `all` (it serves the API too), and it publishes the engine state
  (latest quotes, market time, breaker levels, regimes) to Redis after every feed step. On
  PostgreSQL it first takes a session-level advisory lock on a dedicated connection: exactly one
  engine is active, a standby blocks on the lock and takes over when the leader's connection ends.
  The leader then takes each scenario's own lock too (`keel.server.scenarios.ownership`).
- `engine` with `KEEL_ENGINE_MAX_SCENARIOS=N`: scenarios are spread over the engine processes
  instead. No process-wide lock: each engine serves at once, takes one advisory lock per scenario
  it runs (at most N, `keel.server.scenarios.ownership`), mirrors the others as a replica does,
  and takes over a scenario whose owner died as soon as it has room.
- `api`: a stateless replica. No feed, no engine loop: it mirrors the engine state from Redis and
  forwards admin halts to the engine. Needs PostgreSQL and Redis; may run as several uvicorn workers.

The lock is held by a daemon thread with its own event loop, taken *before* uvicorn starts, so a
standby waits outside the server (a SIGTERM ends it at once) and the lock belongs to the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable

import structlog
from sqlalchemy.engine import make_url

from keel.server.settings import Settings

log = structlog.get_logger(__name__)

ALL, API, ENGINE = "all", "api", "engine"
ROLES = (ALL, API, ENGINE)
ENGINE_ROLES = frozenset({ALL, ENGINE})
"""Roles that run the feed, the risk runtime and the trading loop."""

ENGINE_LOCK_KEY = 0x6B65656C_656E6769
"""The advisory lock key of the engine (the bytes of "keelengi"); locks are per database."""
LOST_LEADERSHIP_EXIT_CODE = 70


class RoleError(ValueError):
    """A role that this configuration cannot run (the message says what to set)."""


def check_role(settings: Settings, *, workers: int = 1) -> None:
    """Refuse a role (and worker count) the configuration cannot run, with what to change."""
    role = settings.role
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if workers < 1:
        raise RoleError("--workers must be at least 1")
    if role == API:
        if settings.is_sqlite:
            raise RoleError(
                "--role api needs PostgreSQL: set KEEL_DATABASE_URL=postgresql+asyncpg://… "
                "(SQLite is one process's file; run `keel serve` with the default role `all`)"
            )
        if not settings.redis_url:
            raise RoleError(
                "--role api needs Redis: set KEEL_REDIS_URL=redis://… (API replicas mirror the "
                "engine's quotes and breaker levels through it)"
            )
    elif spreads_scenarios(settings) and (settings.is_sqlite or not settings.redis_url):
        raise RoleError(
            "KEEL_ENGINE_MAX_SCENARIOS spreads scenarios over engine processes: it needs "
            "PostgreSQL (KEEL_DATABASE_URL=postgresql+asyncpg://…) and Redis (KEEL_REDIS_URL)"
        )
    if role != API and workers > 1:
        raise RoleError(
            f"--workers {workers} runs API replicas only (--role api); `{role}` runs the market "
            "feed and the engine loop, which exist once"
        )


def spreads_scenarios(settings: Settings) -> bool:
    """True for an engine that runs some scenarios and mirrors the rest (one lock per scenario)."""
    return settings.role == ENGINE and settings.engine_max_scenarios is not None


def process_name() -> str:
    """`host:pid` of this process (who leads, in the engine state)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def exit_now(what: str = "its leader lock") -> None:
    """Exit at once (code 70): a lock this engine held may be someone else's now."""
    log.critical(f"the engine lost {what}; exiting so that no market runs twice")
    os._exit(LOST_LEADERSHIP_EXIT_CODE)


def asyncpg_dsn(database_url: str) -> str:
    """The plain `postgresql://` DSN of a SQLAlchemy URL (for a raw asyncpg connection)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class LeaderLock:
    """The engine's PostgreSQL advisory lock, on a dedicated connection held by a daemon thread.

    `acquire()` blocks until this process leads. While it leads, the thread checks the connection
    every `check_seconds`; if the connection is lost, so is the lock (another engine may take it),
    and `on_lost` runs (by default: log and exit the process at once, code 70).
    """

    def __init__(
        self,
        database_url: str,
        *,
        key: int = ENGINE_LOCK_KEY,
        check_seconds: float = 2.0,
        on_lost: Callable[[], None] = exit_now,
    ) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.key = key
        self.check_seconds = check_seconds
        self.on_lost = on_lost
        self.generation: float | None = None
        """PostgreSQL's clock (epoch seconds) when this process took the lock."""
        self._acquired = threading.Event()
        self._stopping = threading.Event()
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None

    def acquire(self) -> float:
        """Block until this process holds the lock; returns the leadership generation."""
        self._thread = threading.Thread(target=self._run, name="keel-leader-lock", daemon=True)
        self._thread.start()
        while not self._acquired.wait(timeout=0.5):
            if not self._thread.is_alive():
                raise RuntimeError(f"the leader lock thread ended: {self._failure!r}")
        assert self.generation is not None
        return self.generation

    def release(self) -> None:
        """Close the lock's connection (PostgreSQL releases the lock with it)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            asyncio.run(self._hold())
        except BaseException as error:  # the thread must never die silently
            self._failure = error
            log.exception("leader lock thread failed")

    async def _hold(self) -> None:
        import asyncpg

        waiting_logged = False
        while not self._stopping.is_set():
            try:
                connection = await asyncpg.connect(self.dsn, timeout=10)
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("leader lock: database unreachable; retrying", error=str(error))
                await asyncio.sleep(1.0)
                continue
            try:
                if not await connection.fetchval("SELECT pg_try_advisory_lock($1)", self.key):
                    if not waiting_logged:
                        log.info("standby engine: another engine leads; waiting for its lock")
                        waiting_logged = True
                    await connection.execute("SELECT pg_advisory_lock($1)", self.key)
                generation = await connection.fetchval(
                    "SELECT extract(epoch FROM clock_timestamp())::float8"
                )
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("leader lock: connection lost while waiting", error=str(error))
                with contextlib.suppress(Exception):
                    await connection.close(timeout=2)
                continue
            self.generation = float(generation)
            self._acquired.set()
            log.info("engine leads", process=process_name(), generation=self.generation)
            await self._watch(connection)
            return

    async def _watch(self, connection: object) -> None:
        import asyncpg

        assert isinstance(connection, asyncpg.Connection)
        try:
            while not self._stopping.is_set():
                await asyncio.sleep(self.check_seconds)
                try:
                    await connection.fetchval("SELECT 1", timeout=max(self.check_seconds, 1.0))
                except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                    if not self._stopping.is_set():
                        self.on_lost()
                    return
        finally:
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)


_leadership: LeaderLock | None = None


def take_leadership(settings: Settings) -> LeaderLock | None:
    """For `--role engine` on PostgreSQL: block until this process leads (None otherwise)."""
    global _leadership
    if settings.role != ENGINE or settings.is_sqlite or spreads_scenarios(settings):
        return None
    lock = LeaderLock(settings.resolved_database_url)
    lock.acquire()
    _leadership = lock
    return lock


def leader_generation() -> float:
    """Orders engine states across takeovers: the lock's generation, else this process's start."""
    if _leadership is not None and _leadership.generation is not None:
        return _leadership.generation
    return _STARTED


_STARTED = time.time()
