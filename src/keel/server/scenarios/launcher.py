"""Scenarios started while the engine runs: created by an admin (API or `keel scenarios`), each
gets its feed, risk runtime, engine loop and clock keeper, in the order start-up gives them to
the scenarios it found (feed → risk → trading → clock).

The supervisor (engine processes only) reads the scenario rows once a second: it starts active
scenarios this process does not run yet (created elsewhere), stops the clocks of archived ones,
applies clock changes made elsewhere, and stores every clock that moved, in one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from keel.server.breakers.startup import attach_risk
from keel.server.market.component import (
    FEED_ROLES,
    load_market,
    run_clock,
    start_feed,
    stop_clock,
)
from keel.server.runtime import Runtime
from keel.server.scenarios import repository
from keel.server.scenarios.live import KEEP_EVERY_SECONDS, LiveScenario
from keel.server.scenarios.models import ScenarioRow
from keel.server.scenarios.service import ensure_default
from keel.server.trading_runtime import attach_trading

log = structlog.get_logger(__name__)


async def launch(runtime: Runtime, row: ScenarioRow) -> LiveScenario:
    """Run scenario `row` in this engine process (its clock resumes where it was stored), as
    start-up does for the ones it finds."""
    async with runtime.sessionmaker() as session:
        latest_time = await repository.latest_stored_market_time(session, row.id)
    live = await start_feed(runtime, row, latest_time)
    await attach_risk(runtime, live)
    attach_trading(runtime, live)
    run_clock(runtime, live)
    log.info("scenario started", scenario_id=row.id, name=row.name)
    return live


async def store_clocks(runtime: Runtime) -> None:
    """Store, in one transaction, the clock of every scenario of the process that moved."""
    keepers = [
        live.keeper
        for live in list(runtime.scenarios.values())
        if live.keeper is not None and live.keeper.moved
    ]
    if not keepers:
        return
    clocks = [keeper.clock_values() for keeper in keepers]
    async with runtime.sessionmaker.begin() as session:
        await repository.save_clocks(session, clocks)
    for keeper, values in zip(keepers, clocks, strict=True):
        keeper.stored(values["position"])


async def retire(runtime: Runtime, scenario_id: str) -> None:
    """Stop an archived scenario's clock for good (its rows stay, read-only)."""
    live = runtime.scenarios.pop(scenario_id, None)
    if live is None:
        return
    await stop_clock(live)


class ScenarioSupervisor:
    """Starts the active scenarios this engine does not run yet, retires archived ones."""

    def __init__(self, runtime: Runtime, every: float = KEEP_EVERY_SECONDS) -> None:
        self.runtime = runtime
        self.every = every
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._run(), name="keel-scenarios")

    async def stop(self) -> None:
        """Stop after the look in progress, if any: never in the middle of a transaction."""
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.every):
                    await self._stopping.wait()
            if self._stopping.is_set():
                return
            try:
                await self.reconcile()
            except Exception:
                log.exception("scenario supervision failed")

    async def reconcile(self) -> None:
        """Start, retire and steer the scenarios as stored; then store every clock that moved."""
        async with self.runtime.sessionmaker() as session:
            rows = await repository.list_all(session)
            for row in rows:
                session.expunge(row)
        for row in rows:
            live = self.runtime.scenarios.get(row.id)
            if row.status == "active":
                if live is None:
                    await self.ensure(row)
                elif live.keeper is not None:
                    await live.keeper.sync(row)
            elif live is not None:
                async with self._lock:
                    await retire(self.runtime, row.id)
        await store_clocks(self.runtime)

    async def ensure(self, row: ScenarioRow) -> LiveScenario:
        """The live scenario `row`, launched unless it already runs (one launch at a time)."""
        async with self._lock:
            live = self.runtime.scenarios.get(row.id)
            return live if live is not None else await launch(self.runtime, row)


async def run_scenario(runtime: Runtime, row: ScenarioRow) -> LiveScenario | None:
    """Start `row` in this process if it is an engine (None on an API replica)."""
    watcher = runtime.scenario_supervisor
    return None if watcher is None else await watcher.ensure(row)


async def start_scenarios(runtime: Runtime) -> None:
    """Load the market, then start the default scenario (created or brought in line with the
    settings) and, on an engine, every other active one: feed → risk → engine loop each; their
    clocks run once `run_scenarios` is called (after every other component is up)."""
    settings = runtime.settings
    runtime.market = await load_market(settings)
    async with runtime.sessionmaker.begin() as session:
        default = await ensure_default(session, settings, runtime.clock.now())
        rows = [default]
        if settings.role in FEED_ROLES:  # a replica mirrors the default scenario only
            active = await repository.list_all(session, status="active")
            rows += [row for row in active if row.id != default.id]
        starts = []
        for row in rows:
            starts.append((row, await repository.latest_stored_market_time(session, row.id)))
            session.expunge(row)
    for row, latest_time in starts:
        live = await start_feed(runtime, row, latest_time)
        await attach_risk(runtime, live)
        if settings.role in FEED_ROLES:
            attach_trading(runtime, live)


def run_scenarios(runtime: Runtime) -> None:
    """Let every scenario's clock run, and (on an engine) the supervisor look for new ones."""
    for live in runtime.scenarios.values():
        run_clock(runtime, live)
    if runtime.settings.role in FEED_ROLES:
        runtime.scenario_supervisor = ScenarioSupervisor(runtime)
        runtime.scenario_supervisor.start()


async def stop_clocks(runtime: Runtime) -> None:
    """First of the stops: no step reaches a listener whose component is stopping."""
    watcher, runtime.scenario_supervisor = runtime.scenario_supervisor, None
    if watcher is not None:
        await watcher.stop()
    for live in runtime.scenarios.values():
        await stop_clock(live)


async def stop_scenarios(runtime: Runtime) -> None:
    """Store what the risk runtimes still hold, then close the market."""
    for live in runtime.scenarios.values():
        if live.risk is not None:
            await live.risk.outbox.flush()
    runtime.scenarios.clear()
    data, runtime.market = runtime.market, None
    if data is not None:
        data.store.close()
