"""Which scenarios this process runs, which it mirrors, and the ones that appear (or lose their
engine) while it runs.

Every process holds every active scenario in `runtime.scenarios`. `Ownership`
(`keel.server.scenarios.ownership`) says which it runs: those get their feed (the clock resumed
where it was stored), risk runtime, engine loop and clock keeper, in that order (feed → risk →
trading → shared state → clock); the others are mirrored from the engine that runs them
(`keel.server.mirror`): an order placed here fills at that engine's latest quote.

The supervisor (every process) reads the scenario rows once a second: it runs or mirrors active
scenarios the process does not hold yet (created elsewhere), takes over a mirrored one whose lock
it can now take (its engine died; spread engines only), stops archived ones, applies clock
changes made elsewhere to the scenarios it runs, and stores every clock that moved, in one
transaction.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from keel.server.autopilot.runner import attach_autopilot
from keel.server.breakers.startup import attach_risk
from keel.server.market.component import load_market, run_clock, start_feed, stop_clock
from keel.server.mirror import share, unshare
from keel.server.runtime import Runtime
from keel.server.scenarios import repository
from keel.server.scenarios.live import KEEP_EVERY_SECONDS, LiveScenario
from keel.server.scenarios.models import ScenarioRow
from keel.server.scenarios.ownership import Ownership
from keel.server.scenarios.service import ensure_default
from keel.server.trading_runtime import attach_trading

log = structlog.get_logger(__name__)


async def launch(runtime: Runtime, row: ScenarioRow, generation: float) -> LiveScenario:
    """Run scenario `row` in this process (its clock resumes where it was stored, never before
    an instant an account of it stored), in place of its mirror if it had one."""
    async with runtime.sessionmaker() as session:
        latest_time = await repository.latest_stored_market_time(session, row.id)
    live = await start_feed(runtime, row, latest_time, runs=True)
    live.generation = generation
    await attach_risk(runtime, live)
    attach_trading(runtime, live)
    attach_autopilot(runtime, live)
    await share(runtime, live)
    replaced = runtime.scenarios.get(row.id)
    runtime.scenarios[row.id] = live
    if replaced is not None:
        await unshare(replaced)
    run_clock(runtime, live)
    log.info("scenario started", scenario_id=row.id, name=row.name, took_over=bool(replaced))
    return live


async def mirror_scenario(runtime: Runtime, row: ScenarioRow) -> LiveScenario:
    """Mirror scenario `row` (another process runs it)."""
    live = await start_feed(runtime, row, None, runs=False)
    await attach_risk(runtime, live)
    await share(runtime, live)
    runtime.scenarios[row.id] = live
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
    for keeper in keepers:
        await keeper.announce_new_day()


class ScenarioSupervisor:
    """Runs or mirrors the active scenarios, takes over orphaned ones, retires archived ones."""

    def __init__(
        self, runtime: Runtime, ownership: Ownership, every: float = KEEP_EVERY_SECONDS
    ) -> None:
        self.runtime = runtime
        self.ownership = ownership
        self.every = every
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()
        self._failed: set[str] = set()

    @property
    def running(self) -> int:
        """How many scenarios this process runs."""
        return sum(1 for live in self.runtime.scenarios.values() if not live.mirrored)

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
        """Run, mirror, take over, retire and steer the scenarios as stored; then store every
        clock that moved."""
        async with self.runtime.sessionmaker() as session:
            rows = await repository.list_all(session)
            for row in rows:
                session.expunge(row)
        for row in rows:
            live = self.runtime.scenarios.get(row.id)
            try:
                if row.status == "active":
                    if live is None or live.mirrored:
                        await self.ensure(row)
                    elif live.keeper is not None:
                        await live.keeper.sync(row)
                elif live is not None:
                    async with self._lock:
                        await self.retire(row.id)
            except Exception:
                # One market that cannot start (its uploaded copy unreadable here, say) must not
                # hold up the others; it is tried again on the next look, logged once.
                if row.id not in self._failed:
                    self._failed.add(row.id)
                    log.exception("a scenario could not be started here", scenario_id=row.id)
            else:
                self._failed.discard(row.id)
        await store_clocks(self.runtime)

    async def ensure(self, row: ScenarioRow) -> LiveScenario:
        """The scenario `row` in this process: run if `Ownership` lets this process run it (a
        mirror is replaced), else mirrored (one change at a time)."""
        async with self._lock:
            live = self.runtime.scenarios.get(row.id)
            if live is not None and not live.mirrored:
                return live
            generation = await self.ownership.claim(row.id, self.running)
            if generation is None:
                return live if live is not None else await mirror_scenario(self.runtime, row)
            try:
                return await launch(self.runtime, row, generation)
            except BaseException:
                await self.ownership.release(row.id)
                raise

    async def retire(self, scenario_id: str) -> None:
        """Stop an archived scenario for good (its rows stay, read-only)."""
        live = self.runtime.scenarios.pop(scenario_id, None)
        if live is None:
            return
        await stop_clock(live)
        await unshare(live)
        if not live.mirrored:
            await self.ownership.release(scenario_id)


async def run_scenario(runtime: Runtime, row: ScenarioRow) -> LiveScenario | None:
    """Run or mirror the new scenario `row` in this process at once (None before start-up)."""
    watcher = runtime.scenario_supervisor
    return None if watcher is None else await watcher.ensure(row)


async def start_scenarios(runtime: Runtime) -> None:
    """Load the market, bring the default scenario in line with the settings, then run or mirror
    every active scenario: feed → risk → engine loop each (the state is shared by
    `keel.server.mirror.start_sharing` next); their clocks run once `run_scenarios` is called
    (after every other component is up)."""
    settings = runtime.settings
    runtime.market = await load_market(settings)
    ownership = Ownership(settings)
    await ownership.open()
    supervisor = ScenarioSupervisor(runtime, ownership)
    runtime.scenario_supervisor = supervisor
    async with runtime.sessionmaker.begin() as session:
        default = await ensure_default(session, settings, runtime.clock.now())
        active = await repository.list_all(session, status="active")
        rows = [default] + [row for row in active if row.id != default.id]
        starts = []
        for row in rows:
            starts.append((row, await repository.latest_stored_market_time(session, row.id)))
            session.expunge(row)
    for row, latest_time in starts:
        generation = await ownership.claim(row.id, supervisor.running)
        try:
            live = await start_feed(runtime, row, latest_time, runs=generation is not None)
        except Exception:
            if row.id == default.id:
                raise
            # Left to the supervisor, which tries again every second (and logs why).
            log.exception("a scenario could not be started here", scenario_id=row.id)
            await ownership.release(row.id)
            continue
        if generation is not None:
            live.generation = generation
        await attach_risk(runtime, live)
        if not live.mirrored:
            attach_trading(runtime, live)
            attach_autopilot(runtime, live)
        runtime.scenarios[row.id] = live


def run_scenarios(runtime: Runtime) -> None:
    """Let the clock of every scenario this process runs go, and the supervisor look around."""
    for live in runtime.scenarios.values():
        run_clock(runtime, live)
    if runtime.scenario_supervisor is not None:
        runtime.scenario_supervisor.start()


async def stop_clocks(runtime: Runtime) -> None:
    """First of the stops: no step reaches a listener whose component is stopping."""
    if runtime.scenario_supervisor is not None:
        await runtime.scenario_supervisor.stop()
    for live in runtime.scenarios.values():
        await stop_clock(live)


async def stop_scenarios(runtime: Runtime) -> None:
    """Store what the risk runtimes still hold, let the scenarios go, then close the market."""
    for live in runtime.scenarios.values():
        if live.risk is not None:
            await live.risk.outbox.flush()
    runtime.scenarios.clear()
    supervisor, runtime.scenario_supervisor = runtime.scenario_supervisor, None
    if supervisor is not None:
        await supervisor.ownership.close()
    data, runtime.market = runtime.market, None
    if data is not None:
        data.store.close()
