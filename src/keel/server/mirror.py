"""Each scenario's engine state, shared with the processes that do not run it: published by the
engine that runs the scenario, mirrored by every other process (API replicas, and engines that
leave the scenario to another engine).

The engine (`--role engine` or `all`) publishes one snapshot per scenario it runs after every
step of that scenario's feed and after every breaker transition (e.g. an admin halt): market time
and date, the latest quote and previous close of every symbol, the breaker mode, the state of the
market-wide and every symbol breaker, and each symbol's regime. It is kept under the pub/sub key
`engine:state` (`engine:state@<id>` for scenarios other than the default, as every scenario
channel) and published on the channel of the same name in one Redis transaction. Quotes and bars
keep going out on `quotes:SYM` / `bars:SYM`, transitions and regimes on `breakers` /
`volatility`, for WebSocket clients.

A mirroring process listens on the scenario's channel, then reads the key (the initial snapshot)
and applies the newest snapshot by `(generation, seq)`: the generation is when the publishing
process took the scenario over (`keel.server.scenarios.ownership`), so a takeover engine's is
larger, and a late message from a dead owner is ignored. Market orders on the replica then fill at the
engine's latest quote and the order gate judges the engine's breaker levels. Account breakers are
judged where the order is placed (each replica keeps its own, as the one process did).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import structlog

from keel.domain.enums import Permission, Regime
from keel.domain.quotes import Quote
from keel.risk import (
    BreakerMachine,
    BreakerMode,
    BreakerState,
    BreakerTransition,
)
from keel.server.breakers.component import RiskRuntime
from keel.server.engine_commands import CommandServer, ReplicaRisk
from keel.server.market.feed import MarketFeed, quote_message
from keel.server.pubsub import Message, PubSub, get_pubsub
from keel.server.roles import ENGINE, ENGINE_ROLES, process_name, spreads_scenarios
from keel.server.runtime import Runtime
from keel.server.scenarios.channels import scenario_channel
from keel.server.scenarios.live import LiveScenario
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

log = structlog.get_logger(__name__)

STATE_KEY = "engine:state"
STATE_CHANNEL = "engine:state"
"""The default scenario's state key and channel (`state_key` gives every scenario's)."""


def state_key(scenario_id: str) -> str:
    """The pub/sub key, and channel, of a scenario's engine state."""
    return scenario_channel(scenario_id, STATE_KEY)


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def breaker_state_message(state: BreakerState) -> Message:
    """A breaker state as JSON (levels by name, times ISO 8601)."""
    return {
        "level": state.level.name,
        "since": _iso(state.since),
        "reopen_at": _iso(state.reopen_at),
        "trips": state.trips,
        "pinned": state.pinned,
        "probe_started_at": _iso(state.probe_started_at),
        "calm_observations": state.calm_observations,
        "rule": state.rule,
        "reason": state.reason,
        "cause": state.cause,
        "condition": state.condition,
        "figures": dict(state.figures),
    }


def breaker_state_from(message: Message) -> BreakerState:
    """The inverse of `breaker_state_message`."""
    return BreakerState(
        level=Permission[message["level"]],
        since=_time(message["since"]),
        reopen_at=_time(message["reopen_at"]),
        trips=int(message["trips"]),
        pinned=bool(message["pinned"]),
        probe_started_at=_time(message["probe_started_at"]),
        calm_observations=int(message["calm_observations"]),
        rule=str(message["rule"]),
        reason=str(message["reason"]),
        cause=str(message["cause"]),
        condition=message.get("condition"),
        figures=message.get("figures") or {},
    )


def quote_from_message(message: Message) -> Quote:
    """The inverse of `keel.server.market.feed.quote_message`."""

    def size(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return Quote(
        symbol=message["symbol"],
        time=datetime.fromisoformat(message["time"]),
        bid=Decimal(message["bid"]),
        ask=Decimal(message["ask"]),
        last=Decimal(message["last"]),
        bid_size=size(message["bid_size"]),
        ask_size=size(message["ask_size"]),
    )


def engine_snapshot(feed: MarketFeed, risk: RiskRuntime, *, seq: int, generation: float) -> Message:
    """Everything a replica needs to place orders and judge breakers as the engine would."""
    board = risk.board
    symbols = sorted(risk.trackers)
    return {
        "scenario_id": feed.scenario_id,
        "leader": process_name(),
        "generation": generation,
        "seq": seq,
        "market_time": _iso(feed.market_time),
        "market_date": _iso(feed.market_date),
        "paused": feed.paused,
        "running": feed.running,
        "seconds_per_day": feed.seconds_per_day,
        "quotes": {s: quote_message(q) for s, q in sorted(feed.latest_quotes().items())},
        "previous_close": {
            s: str(close) for s in symbols if (close := feed.previous_close(s)) is not None
        },
        "mode": risk.mode.value,
        "market_breaker": breaker_state_message(board.market.machine.state),
        "symbol_breakers": {
            s: breaker_state_message(board.symbol(s).machine.state) for s in symbols
        },
        "regimes": {s: board.symbol(s).regime.name for s in symbols},
    }


class MirroredFeed(MarketFeed):
    """An API replica's feed: the same instruments and bars, the engine's quotes and clock."""

    _mirrored_date: date | None = None

    @property
    def market_date(self) -> date | None:
        return self._mirrored_date

    @property
    def finished(self) -> bool:
        return self._mirrored_date is None and self._market_time is not None

    async def step(self) -> list[Quote]:
        raise RuntimeError("an API replica mirrors the engine's feed and never steps it")

    async def advance_to(self, elapsed: float) -> int:
        raise RuntimeError("an API replica mirrors the engine's feed and never steps it")

    def mirror(self, snapshot: Message) -> None:
        """Take the engine's quotes, market time and date, and previous closes."""
        quotes = {s: quote_from_message(m) for s, m in snapshot["quotes"].items()}
        closes = {s: Decimal(v) for s, v in snapshot["previous_close"].items()}
        market_date = snapshot["market_date"]
        self._latest = quotes
        self._previous_close.update(closes)
        self._market_time = _time(snapshot["market_time"])
        if self._market_time is not None:
            self._position = self.position_of(self._market_time)
        self._mirrored_date = None if market_date is None else date.fromisoformat(market_date)
        # Staleness as the engine's market runs: a paused engine sends nothing, and that is fine,
        # as is an engine whose clock does not run (stepped by hand: tests, benchmarks).
        self.paused = bool(snapshot.get("paused", False))
        self.running = bool(snapshot.get("running", True))
        self.seconds_per_day = float(snapshot.get("seconds_per_day", self.seconds_per_day))
        self._moved_at = self.wall()


def mirror_risk(risk: RiskRuntime, snapshot: Message) -> None:
    """Set the replica's market and symbol breakers (state, regime, mode) to the engine's."""
    mode = BreakerMode(snapshot["mode"])
    if mode is not risk.mode:
        risk.set_mode(mode)
    _set_state(risk.board.market.machine, snapshot["market_breaker"])
    for symbol, state in snapshot["symbol_breakers"].items():
        if symbol in risk.trackers:
            _set_state(risk.board.symbol(symbol).machine, state)
    for symbol, regime in snapshot["regimes"].items():
        if symbol in risk.trackers:
            risk.board.symbol(symbol).regime = Regime[regime]


def _set_state(machine: BreakerMachine, message: Message) -> None:
    machine.state = breaker_state_from(message)


class EnginePublisher:
    """The engine side: publishes a scenario's snapshot after every step and breaker transition."""

    def __init__(self, runtime: Runtime, live: LiveScenario) -> None:
        if live.risk is None:
            raise RuntimeError(f"scenario {live.id} has no risk runtime")
        self.runtime = runtime
        self.feed = live.feed
        self.risk = live.risk
        self.generation = live.generation
        self.key = state_key(live.id)
        self.pubsub: PubSub = get_pubsub(runtime)
        self.seq = 0
        self._lock = asyncio.Lock()
        self._pending: asyncio.Task[None] | None = None
        breakers = scenario_channel(live.id, "breakers")
        clock_channel = live.channel
        self._remove: Callable[[], None] = self.pubsub.add_listener(
            self._on_message, wants=lambda channel: channel in (breakers, clock_channel)
        )

    async def publish(self) -> None:
        """Store and publish the current engine state (in order: one at a time)."""
        async with self._lock:
            self.seq += 1
            snapshot = engine_snapshot(
                self.feed, self.risk, seq=self.seq, generation=self.generation
            )
            try:
                await self.pubsub.put_state(self.key, self.key, snapshot)
            except Exception:
                log.exception("publishing the engine state failed", key=self.key)

    async def on_step(self, quotes: list[Quote]) -> None:
        await self.publish()

    def _on_message(self, channel: str, message: Message) -> None:
        # A transition outside a feed step (an admin halt), or a pause, resume or new speed, must
        # reach the replicas at once.
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().create_task(self.publish())

    async def close(self) -> None:
        self._remove()
        if self._pending is not None:
            with contextlib.suppress(Exception):
                await self._pending


class StateMirror:
    """The mirror side: applies the newest snapshot of a scenario to its feed and breakers."""

    def __init__(self, feed: MirroredFeed, risk: RiskRuntime, pubsub: PubSub) -> None:
        self.feed = feed
        self.risk = risk
        self.pubsub = pubsub
        self.key = state_key(feed.scenario_id)
        self.version: tuple[float, int] = (float("-inf"), 0)
        self.leader: str | None = None
        self.applied_at: float | None = None
        """`time.monotonic()` when the last snapshot was applied (`/metrics`: the mirror's lag)."""
        key = self.key
        self._remove: Callable[[], None] = pubsub.add_listener(
            self._on_message, wants=lambda channel: channel == key
        )

    async def load(self) -> bool:
        """Apply the stored snapshot (the listener is already attached); False when none yet."""
        snapshot = await self.pubsub.get_state(self.key)
        if snapshot is not None:
            self.apply(snapshot)
        return snapshot is not None

    def apply(self, snapshot: Message) -> bool:
        """Apply `snapshot` when it is newer than the last one applied."""
        version = (float(snapshot["generation"]), int(snapshot["seq"]))
        if version <= self.version:
            return False
        self.feed.mirror(snapshot)
        mirror_risk(self.risk, snapshot)
        self.version = version
        self.leader = str(snapshot["leader"])
        self.applied_at = time.monotonic()
        return True

    def _on_message(self, channel: str, message: Message) -> None:
        try:
            self.apply(message)
        except (KeyError, ValueError, TypeError, ArithmeticError):
            log.exception("an engine state could not be applied", key=self.key)

    def close(self) -> None:
        self._remove()


async def carry_over_halts(
    risk: RiskRuntime, previous: Message | None, generation: float
) -> list[BreakerTransition]:
    """Halt again what an admin had halted under the previous leader (its last snapshot): a
    takeover must not reopen a market an admin closed. Other levels start afresh."""
    if previous is None or float(previous["generation"]) >= generation:
        return []
    halted: list[tuple[str | None, Message]] = [(None, previous["market_breaker"])]
    halted += sorted(previous["symbol_breakers"].items())
    carried = []
    for symbol, state in halted:
        if not (state["pinned"] and state["level"] == Permission.CLOSED.name):
            continue
        reason = f"halt carried over from the previous engine: {state['reason']}"
        transition = await risk.halt_again(symbol, by="engine takeover", reason=reason)
        if transition is not None:
            carried.append(transition)
    return carried


async def share(runtime: Runtime, live: LiveScenario) -> None:
    """Share a scenario's engine state: publish it where this process runs the scenario (after
    its feed, risk runtime and engine loop, so the snapshot follows their step listeners), mirror
    it where another process does."""
    risk = live.risk
    if risk is None:
        raise RuntimeError(f"scenario {live.id} has no risk runtime")
    pubsub = get_pubsub(runtime)
    if not live.mirrored:
        if live.id != DEFAULT_SCENARIO_ID and not runtime.settings.redis_url:
            return  # no other process can mirror it (in-process pub/sub): a step costs no snapshot
        publisher = EnginePublisher(runtime, live)
        live.publisher = publisher
        live.feed.add_step_listener(publisher.on_step)
        settings = runtime.settings
        one_leader = settings.role == ENGINE and not spreads_scenarios(settings)
        if one_leader and live.id == DEFAULT_SCENARIO_ID:
            await carry_over_halts(risk, await pubsub.get_state(publisher.key), live.generation)
        await publisher.publish()
    elif isinstance(live.feed, MirroredFeed):
        mirror = StateMirror(live.feed, risk, pubsub)
        live.mirror = mirror
        live.feed.running = True  # quotes go stale when the engine stops sending them
        if not await mirror.load():
            log.info(
                "no engine state yet: quotes and levels arrive once an engine runs it",
                scenario_id=live.id,
            )


async def unshare(live: LiveScenario) -> None:
    """Stop publishing or mirroring the scenario's state (it stops, or changes hands)."""
    publisher, live.publisher = live.publisher, None
    if publisher is not None:
        await publisher.close()
    mirror, live.mirror = live.mirror, None
    if mirror is not None:
        mirror.close()
    if isinstance(live.risk, ReplicaRisk):
        live.risk.forwarder.close()


async def publish_state(runtime: Runtime, scenario_id: str) -> None:
    """Publish the engine state of a scenario this process runs (after a forwarded admin action)."""
    live = runtime.scenarios.get(scenario_id)
    if live is not None and live.publisher is not None:
        await live.publisher.publish()


async def start_sharing(runtime: Runtime) -> None:
    """Share every scenario of the process; an engine also answers forwarded admin actions."""
    if runtime.settings.role in ENGINE_ROLES:
        runtime.engine_commands = CommandServer(
            runtime, get_pubsub(runtime), lambda scenario_id: publish_state(runtime, scenario_id)
        )
    for live in list(runtime.scenarios.values()):
        await share(runtime, live)


async def stop_sharing(runtime: Runtime) -> None:
    commands, runtime.engine_commands = runtime.engine_commands, None
    if commands is not None:
        await commands.close()
    for live in list(runtime.scenarios.values()):
        await unshare(live)
