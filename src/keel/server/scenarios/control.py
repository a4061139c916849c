"""Pause, resume, speed and skip: commands to the engine that runs a scenario.

The stored scenario row is the command channel (the engine may be another process, and
`keel scenarios` has no server to call), so a change commits — with its audit row — before the
engine is told: the one use case that commits the request's transaction itself. The process that owns the scenario then applies it at once;
any other engine notices the newer `control_version` within a second (`ClockKeeper.sync`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.errors import ProblemError, not_found
from keel.server.scenarios import repository
from keel.server.scenarios.live import MAX_SKIP_DAYS, LiveScenario
from keel.server.scenarios.models import ScenarioRow

MIN_SECONDS_PER_DAY = 0.5
MAX_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class ClockChange:
    """What to change; fields left None stay as they are."""

    paused: bool | None = None
    seconds_per_day: float | None = None
    skip_days: float | None = None


@dataclass(frozen=True)
class Actor:
    """Who asks: a user (id and email) or a tool (`keel scenarios`)."""

    name: str
    user_id: str | None = None


def check_change(change: ClockChange) -> None:
    """Refuse a change no clock can make (422 with what is allowed)."""
    speed = change.seconds_per_day
    if speed is not None and not (
        math.isfinite(speed) and MIN_SECONDS_PER_DAY <= speed <= MAX_SECONDS_PER_DAY
    ):
        raise ProblemError(
            422,
            "invalid-speed",
            f"A trading day can last from {MIN_SECONDS_PER_DAY:g} seconds to one day "
            f"({MAX_SECONDS_PER_DAY:,.0f} seconds) of real time.",
            figures={"seconds_per_day": speed},
        )
    days = change.skip_days
    if days is not None and not (math.isfinite(days) and 0 < days <= MAX_SKIP_DAYS):
        raise ProblemError(
            422,
            "invalid-skip",
            f"You can skip forward between a part of a day and {MAX_SKIP_DAYS} trading days "
            "at a time.",
            figures={"skip_days": days},
        )


async def record_change(
    session: AsyncSession,
    scenario_id: str,
    change: ClockChange,
    *,
    actor: Actor,
    live_position: float | None,
    now: datetime,
) -> ScenarioRow:
    """Write `change` to the locked scenario row with one audit row per action."""
    check_change(change)
    row = await repository.lock(session, scenario_id)
    if row is None:
        raise not_found("scenario")
    if row.status != "active":
        raise ProblemError(
            409, "scenario-archived", "This scenario has ended; its clock is stopped."
        )
    actions: list[tuple[str, dict[str, Any]]] = []
    if change.paused is not None and change.paused != row.paused:
        row.paused = change.paused
        actions.append(("paused" if change.paused else "resumed", {}))
    if change.seconds_per_day is not None and change.seconds_per_day != row.seconds_per_day:
        actions.append(("speed", {"from": row.seconds_per_day, "to": change.seconds_per_day}))
        row.seconds_per_day = change.seconds_per_day
    if change.skip_days is not None:
        base = max(row.position, live_position or 0.0, row.target_position or 0.0)
        row.target_position = base + change.skip_days
        actions.append(("skipped", {"days": change.skip_days, "to_position": row.target_position}))
    if not actions:
        return row
    row.control_version += 1
    row.updated_at = now
    for action, detail in actions:
        await repository.add_event(
            session,
            scenario_id,
            action,
            actor_id=actor.user_id,
            actor=actor.name,
            detail=detail,
            market_time=row.market_time,
            recorded_at=now,
        )
    return row


async def change_clock(
    session: AsyncSession,
    scenario_id: str,
    change: ClockChange,
    *,
    actor: Actor,
    live: LiveScenario | None,
    now: datetime,
) -> ScenarioRow:
    """Record `change` and commit the request's transaction (the row is the command), then
    apply it in this process if it runs the scenario's clock."""
    live_position = live.feed.position if live is not None else None
    row = await record_change(
        session, scenario_id, change, actor=actor, live_position=live_position, now=now
    )
    await session.commit()
    if live is not None and live.keeper is not None:
        await live.keeper.apply(row)
    return row
