"""All SQL of scenarios: the rows, their clock, the audit trail, and the latest market time an
account of the scenario has stored (a restart never resumes before it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import PaperAccount
from keel.server.orders.models import FillRow, OrderEventRow, OrderRow
from keel.server.scenarios.models import ScenarioEventRow, ScenarioRow


async def get(session: AsyncSession, scenario_id: str) -> ScenarioRow | None:
    return await session.get(ScenarioRow, scenario_id, populate_existing=True)


async def lock(session: AsyncSession, scenario_id: str) -> ScenarioRow | None:
    """The scenario row, locked until the transaction ends (one control change at a time)."""
    query = (
        select(ScenarioRow)
        .where(ScenarioRow.id == scenario_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_all(session: AsyncSession, *, status: str | None = None) -> Sequence[ScenarioRow]:
    query = select(ScenarioRow).order_by(ScenarioRow.created_at, ScenarioRow.id)
    if status is not None:
        query = query.where(ScenarioRow.status == status)
    return (await session.execute(query)).scalars().all()


async def save_clocks(session: AsyncSession, clocks: list[dict[str, Any]]) -> None:
    """Store several scenarios' clocks (`id`, `position`, `market_time` each) in one statement."""
    if clocks:
        await session.execute(update(ScenarioRow), clocks)


async def save_clock(
    session: AsyncSession, scenario_id: str, *, position: float, market_time: datetime | None
) -> None:
    """Store where the scenario's clock is (only ever forward)."""
    await session.execute(
        update(ScenarioRow)
        .where(ScenarioRow.id == scenario_id, ScenarioRow.position <= position)
        .values(position=position, market_time=market_time)
    )


async def add_event(
    session: AsyncSession,
    scenario_id: str,
    action: str,
    *,
    actor_id: str | None,
    actor: str,
    detail: dict[str, Any],
    market_time: datetime | None,
    recorded_at: datetime,
) -> ScenarioEventRow:
    row = ScenarioEventRow(
        scenario_id=scenario_id,
        action=action,
        actor_id=actor_id,
        actor=actor[:100],
        detail=detail,
        market_time=market_time,
        recorded_at=recorded_at,
    )
    session.add(row)
    await session.flush()
    return row


async def events(
    session: AsyncSession, scenario_id: str, *, limit: int
) -> Sequence[ScenarioEventRow]:
    query = (
        select(ScenarioEventRow)
        .where(ScenarioEventRow.scenario_id == scenario_id)
        .order_by(ScenarioEventRow.id.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def latest_stored_market_time(session: AsyncSession, scenario_id: str) -> datetime | None:
    """The latest market time of any fill or order event of the scenario's accounts (order events
    stored before migration 0005 carried wall time and have no `recorded_at`: left out)."""
    fills = (
        select(func.max(FillRow.time))
        .join(PaperAccount, PaperAccount.id == FillRow.account_id)
        .where(PaperAccount.scenario_id == scenario_id)
    )
    order_events = (
        select(func.max(OrderEventRow.time))
        .join(OrderRow, OrderRow.id == OrderEventRow.order_id)
        .join(PaperAccount, PaperAccount.id == OrderRow.account_id)
        .where(PaperAccount.scenario_id == scenario_id, OrderEventRow.recorded_at.is_not(None))
    )
    times = [(await session.execute(query)).scalar_one_or_none() for query in (fills, order_events)]
    known = [time for time in times if time is not None]
    return max(known) if known else None
