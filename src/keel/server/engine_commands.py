"""Admin halts and resumes sent to a process that mirrors the scenario run on its engine, through
pub/sub.

A mirror's breakers are a copy of the engine's (`keel.server.mirror`): forcing one locally would
be overwritten by the next engine snapshot. So `ReplicaRisk.force` publishes a command, with the
scenario's id, on `engine:commands`; the `CommandServer` of the engine process that runs that
scenario applies it with the scenario's risk runtime (stored and published as any admin action
there), publishes the scenario's new engine state, then replies on `engine:replies`. The replica has applied that state before the reply arrives (one Redis
connection delivers both, in order), so the admin's next order on the same replica already meets
the new level. No engine answering within `FORWARD_TIMEOUT_SECONDS` is a 503.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Permission
from keel.risk import BreakerBoard, BreakerTransition, IllegalBreakerTransition, Scope
from keel.risk.transitions import TransitionKind
from keel.server.breakers.component import RiskRuntime
from keel.server.breakers.publishing import json_figures
from keel.server.errors import ProblemError
from keel.server.market.feed import MarketFeed
from keel.server.pubsub import Message, PubSub
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility.tracker import SymbolVolatility

log = structlog.get_logger(__name__)

COMMAND_CHANNEL = "engine:commands"
REPLY_CHANNEL = "engine:replies"
FORWARD_TIMEOUT_SECONDS = 10.0


def transition_from(message: Message) -> BreakerTransition:
    """A transition from `BreakerTransition.as_dict()`'s JSON."""
    reopen_at = message["reopen_at"]
    return BreakerTransition(
        scope=Scope(message["scope"]),
        scope_key=message["scope_key"],
        from_level=Permission[message["from_level"]],
        to_level=Permission[message["to_level"]],
        kind=TransitionKind(message["kind"]),
        rule=message["rule"],
        reason=message["reason"],
        figures=dict(message["figures"]),
        at=datetime.fromisoformat(message["at"]),
        reopen_at=None if reopen_at is None else datetime.fromisoformat(reopen_at),
        enforced=bool(message["enforced"]),
    )


class EngineForwarder:
    """Mirror side: sends a command about one scenario to its engine and awaits the reply."""

    def __init__(
        self,
        pubsub: PubSub,
        timeout: float = FORWARD_TIMEOUT_SECONDS,
        *,
        scenario_id: str = DEFAULT_SCENARIO_ID,
    ) -> None:
        self.pubsub = pubsub
        self.scenario_id = scenario_id
        self.timeout = timeout
        self._waiting: dict[str, asyncio.Future[Message]] = {}
        self._remove = pubsub.add_listener(
            self._on_message, wants=lambda channel: channel == REPLY_CHANNEL
        )

    async def call(self, command: Message) -> Message:
        """Publish `command` and return the engine's reply; 503 when no engine answers."""
        command_id = uuid.uuid4().hex
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[command_id] = future
        try:
            message = {**command, "id": command_id, "scenario_id": self.scenario_id}
            await self.pubsub.publish(COMMAND_CHANNEL, message)
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError as error:
            raise ProblemError(
                503,
                "engine-unavailable",
                "no engine answered; admin halts and resumes run on the engine that runs "
                "this market",
            ) from error
        finally:
            self._waiting.pop(command_id, None)

    def _on_message(self, channel: str, message: Message) -> None:
        if channel != REPLY_CHANNEL:
            return
        future = self._waiting.get(str(message.get("id")))
        if future is not None and not future.done():
            future.set_result(message)

    def close(self) -> None:
        self._remove()


class ReplicaRisk(RiskRuntime):
    """An API replica's risk runtime: mirrored market and symbol breakers (never fed steps),
    local account breakers, and admin actions forwarded to the engine."""

    def __init__(
        self,
        runtime: Runtime,
        feed: MarketFeed,
        trackers: dict[str, SymbolVolatility],
        board: BreakerBoard,
        *,
        forwarder: EngineForwarder,
    ) -> None:
        super().__init__(runtime, feed, trackers, board)
        self.forwarder = forwarder

    async def force(
        self,
        level: Permission,
        *,
        symbol: str | None,
        by: str,
        reason: str,
        session: AsyncSession | None = None,
    ) -> BreakerTransition:
        """Forward the halt or resume to the engine (the engine stores it); its transition."""
        reply = await self.forwarder.call(
            {"command": "force", "level": level.name, "symbol": symbol, "by": by, "reason": reason}
        )
        if not reply.get("ok"):
            raise IllegalBreakerTransition(str(reply.get("error", "the engine refused it")))
        return transition_from(reply["transition"])


class CommandServer:
    """Engine side: applies forwarded admin actions to the scenarios this process runs, publishes
    the scenario's engine state, replies. Commands about other scenarios are left to their engine."""

    def __init__(
        self,
        runtime: Runtime,
        pubsub: PubSub,
        publish_state: Callable[[str], Awaitable[None]],
    ) -> None:
        self.runtime = runtime
        self.pubsub = pubsub
        self.publish_state = publish_state
        self._tasks: set[asyncio.Task[None]] = set()
        self._remove = pubsub.add_listener(
            self._on_message, wants=lambda channel: channel == COMMAND_CHANNEL
        )

    def _on_message(self, channel: str, message: Message) -> None:
        if channel != COMMAND_CHANNEL or message.get("command") != "force":
            return
        scenario_id = str(message.get("scenario_id") or DEFAULT_SCENARIO_ID)
        live = self.runtime.scenarios.get(scenario_id)
        if live is None or live.mirrored or live.risk is None:
            return  # another engine runs it (or nobody: the sender answers 503)
        task = asyncio.get_running_loop().create_task(self._force(live.risk, scenario_id, message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _force(self, risk: RiskRuntime, scenario_id: str, message: Message) -> None:
        reply: dict[str, Any] = {"id": message.get("id")}
        try:
            transition = await risk.force(
                Permission[message["level"]],
                symbol=message.get("symbol"),
                by=str(message["by"]),
                reason=str(message["reason"]),
            )
            await self.publish_state(scenario_id)
            shown = transition.as_dict()
            shown["figures"] = json_figures(transition.figures)
            reply.update(ok=True, transition=shown)
        except IllegalBreakerTransition as error:
            reply.update(ok=False, error=str(error))
        except Exception:
            log.exception("a forwarded admin action failed")
            return  # no reply: the replica answers 503
        await self.pubsub.publish(REPLY_CHANNEL, reply)

    async def close(self) -> None:
        self._remove()
        for task in list(self._tasks):
            await asyncio.gather(task, return_exceptions=True)
