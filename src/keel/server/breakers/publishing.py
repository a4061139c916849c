"""What the risk runtime changed, stored then published: breaker transitions, regime changes,
volatility updates and anomalies.

Changes are collected synchronously (the order gate cannot await) and written in one transaction
by `flush()`, which the runtime awaits after every feed step and every admin action; messages go
out only after the rows are committed.

Channels: market and symbol transitions on `breakers`; an account's on its owner's
`notifications:<user_id>`; regime changes, per-bar volatility updates and anomalies on `volatility`.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.risk import BreakerTransition, Scope
from keel.server.accounts.models import PaperAccount
from keel.server.breakers.models import BreakerTransitionRow
from keel.server.db import session_scope
from keel.server.lessons.links import rule_lesson
from keel.server.metrics import BREAKER_LEVEL
from keel.server.pubsub import Message, get_pubsub, publish_after_commit, user_channel
from keel.server.runtime import Runtime
from keel.server.scenarios.channels import scenario_channel
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility.models import RegimeChangeRow
from keel.server.volatility.tracker import RegimeChange, SymbolVolatility
from keel.volatility.anomalies import AnomalyEvent

log = structlog.get_logger(__name__)


def transition_message(transition: BreakerTransition) -> Message:
    shown = transition.as_dict()
    shown["figures"] = json_figures(transition.figures)
    shown["lesson"] = rule_lesson(transition.rule)  # the lesson that explains it
    return {"type": "breaker_transition", "transition": shown}


def regime_message(change: RegimeChange) -> Message:
    reading = change.reading
    return {
        "type": "regime_change",
        "symbol": change.symbol,
        "from_regime": change.previous.name if change.previous is not None else None,
        "to_regime": reading.regime.name,
        "confidence": reading.confidence,
        "reason": reading.reason,
        "figures": json_figures(reading.figures),
        "at": change.at.isoformat(),
    }


def volatility_message(tracker: SymbolVolatility) -> Message:
    reading = tracker.reading
    return {
        "type": "volatility",
        "symbol": tracker.symbol,
        "as_of": tracker.as_of.isoformat() if tracker.as_of else None,
        "regime": reading.regime.name,
        "confidence": reading.confidence,
        "reason": reading.reason,
        "estimators": tracker.estimator_figures(),
    }


def anomaly_message(symbol: str, event: AnomalyEvent) -> Message:
    return {
        "type": "anomaly",
        "symbol": symbol,
        "kind": event.kind.value,
        "message": event.message,
        "figures": dict(event.figures),
        "at": event.at.isoformat() if event.at else None,
    }


def json_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    """Figures as JSON every database accepts: a non-finite float (NaN, ∞) becomes null."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in figures.items()
    }


def transition_row(
    transition: BreakerTransition, recorded_at: datetime, scenario_id: str = DEFAULT_SCENARIO_ID
) -> BreakerTransitionRow:
    return BreakerTransitionRow(
        scenario_id=scenario_id,
        scope=transition.scope.value,
        scope_key=transition.scope_key,
        from_level=transition.from_level.name,
        to_level=transition.to_level.name,
        kind=transition.kind.value,
        rule=transition.rule[:64],
        reason=transition.reason[:500],
        figures=json_figures(transition.figures),
        at=transition.at,
        reopen_at=transition.reopen_at,
        enforced=transition.enforced,
        recorded_at=recorded_at,
    )


def regime_row(
    change: RegimeChange, recorded_at: datetime, scenario_id: str = DEFAULT_SCENARIO_ID
) -> RegimeChangeRow:
    reading = change.reading
    return RegimeChangeRow(
        scenario_id=scenario_id,
        symbol=change.symbol,
        from_regime=change.previous.name if change.previous is not None else None,
        to_regime=reading.regime.name,
        confidence=reading.confidence,
        reason=reading.reason[:500],
        figures=json_figures(reading.figures),
        at=change.at,
        recorded_at=recorded_at,
    )


class Outbox:
    """Collects the risk runtime's changes; `flush()` stores and publishes them in order."""

    def __init__(self, runtime: Runtime, scenario_id: str = DEFAULT_SCENARIO_ID) -> None:
        self.runtime = runtime
        self.scenario_id = scenario_id
        self._transitions: list[BreakerTransition] = []
        self._regimes: list[RegimeChange] = []
        self._messages: list[tuple[str, Message]] = []
        self._lock = asyncio.Lock()

    def transition(self, transition: BreakerTransition | None) -> None:
        if transition is not None:
            self._transitions.append(transition)

    def regime(self, change: RegimeChange) -> None:
        self._regimes.append(change)

    def volatility(self, tracker: SymbolVolatility) -> None:
        self._messages.append((self._channel("volatility"), volatility_message(tracker)))

    def anomaly(self, symbol: str, event: AnomalyEvent) -> None:
        self._messages.append((self._channel("volatility"), anomaly_message(symbol, event)))

    def _channel(self, name: str) -> str:
        return scenario_channel(self.scenario_id, name)

    @property
    def pending(self) -> int:
        return len(self._transitions) + len(self._regimes) + len(self._messages)

    async def flush(self, session: AsyncSession | None = None) -> None:
        """Store what was collected, then publish it.

        Without `session` the rows are written in a transaction of their own and published at
        once (a failed write is logged and dropped). With a request's `session` (which on SQLite
        already holds the only write lock) they join it and are published after it commits.
        """
        async with self._lock:
            transitions, self._transitions = self._transitions, []
            regimes, self._regimes = self._regimes, []
            messages, self._messages = self._messages, []
            if not (transitions or regimes or messages):
                return
            if session is not None:
                owners = await self._store(session, transitions, regimes)
                pubsub = get_pubsub(self.runtime)
                for channel, message in self._outgoing(transitions, regimes, messages, owners):
                    publish_after_commit(session, pubsub, channel, message)
                return
            owners = {}
            if transitions or regimes:
                try:
                    async for own in session_scope(self.runtime.sessionmaker):
                        owners = await self._store(own, transitions, regimes)
                except Exception:
                    log.exception("storing breaker transitions failed", count=len(transitions))
            await self._publish(self._outgoing(transitions, regimes, messages, owners))

    async def _store(
        self,
        session: AsyncSession,
        transitions: list[BreakerTransition],
        regimes: list[RegimeChange],
    ) -> dict[str, str]:
        now = self.runtime.clock.now()
        session.add_all(regime_row(change, now, self.scenario_id) for change in regimes)
        session.add_all(transition_row(t, now, self.scenario_id) for t in transitions)
        await session.flush()
        account_ids = {t.scope_key for t in transitions if t.scope is Scope.ACCOUNT}
        if not account_ids:
            return {}
        query = select(PaperAccount.id, PaperAccount.user_id).where(
            PaperAccount.id.in_(account_ids)
        )
        return {row.id: row.user_id for row in await session.execute(query)}

    def _outgoing(
        self,
        transitions: list[BreakerTransition],
        regimes: list[RegimeChange],
        messages: list[tuple[str, Message]],
        owners: dict[str, str],
    ) -> list[tuple[str, Message]]:
        outgoing: list[tuple[str, Message]] = []
        for transition in transitions:
            if transition.scope is Scope.ACCOUNT:
                owner = owners.get(transition.scope_key)
                if owner is not None:
                    channel = user_channel("notifications", owner)
                    outgoing.append((channel, transition_message(transition)))
                continue
            BREAKER_LEVEL.labels(transition.scope.value, transition.scope_key).set(
                int(transition.to_level)
            )
            outgoing.append((self._channel("breakers"), transition_message(transition)))
        outgoing.extend((self._channel("volatility"), regime_message(c)) for c in regimes)
        outgoing.extend(messages)
        return outgoing

    async def _publish(self, outgoing: list[tuple[str, Message]]) -> None:
        pubsub = get_pubsub(self.runtime)
        for sent, (channel, message) in enumerate(outgoing):
            try:
                await pubsub.publish(channel, message)
            except Exception as error:
                # Pub/sub is down: the rest would fail the same way, each after its retries,
                # holding up the market step. One line per step, not one per message.
                log.warning(
                    "publishing risk updates failed; this step's are dropped",
                    channel=channel,
                    dropped=len(outgoing) - sent,
                    error=repr(error),
                )
                return
