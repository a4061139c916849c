"""All SQL of backtest jobs. Lookups for the API are scoped to the owner; state changes are
conditional updates, so a job cancelled in one process is never overwritten by another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.backtests.models import BacktestRun
from keel.server.backtests.schemas import ACTIVE_STATUSES, JobStatus


async def get_run(session: AsyncSession, run_id: str, owner_id: str) -> BacktestRun | None:
    query = select(BacktestRun).where(BacktestRun.id == run_id, BacktestRun.owner_id == owner_id)
    return (await session.execute(query)).scalar_one_or_none()


async def get_run_any_owner(session: AsyncSession, run_id: str) -> BacktestRun | None:
    query = (
        select(BacktestRun)
        .where(BacktestRun.id == run_id)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_runs(
    session: AsyncSession, owner_id: str, *, limit: int, offset: int, status: str | None = None
) -> Sequence[BacktestRun]:
    """The owner's jobs, newest first."""
    query = select(BacktestRun).where(BacktestRun.owner_id == owner_id)
    if status is not None:
        query = query.where(BacktestRun.status == status)
    query = query.order_by(BacktestRun.created_at.desc(), BacktestRun.id.desc())
    return (await session.execute(query.limit(limit).offset(offset))).scalars().all()


async def count_active(session: AsyncSession, owner_id: str) -> int:
    query = select(func.count()).where(
        BacktestRun.owner_id == owner_id, BacktestRun.status.in_(ACTIVE_STATUSES)
    )
    return int((await session.execute(query)).scalar_one())


async def transition(
    session: AsyncSession,
    run_id: str,
    *,
    allowed_from: Sequence[str],
    values: dict[str, Any],
) -> bool:
    """Set `values` on the job if its status is one of `allowed_from`; True when it changed."""
    statement = (
        update(BacktestRun)
        .where(BacktestRun.id == run_id, BacktestRun.status.in_(list(allowed_from)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def fail_orphans(
    session: AsyncSession, *, message: str, now: datetime, stale_before: datetime | None
) -> list[str]:
    """Mark active jobs failed (all of them, or those without a heartbeat since `stale_before`)."""
    query = select(BacktestRun.id).where(BacktestRun.status.in_(ACTIVE_STATUSES))
    if stale_before is not None:
        query = query.where(
            func.coalesce(BacktestRun.heartbeat_at, BacktestRun.created_at) < stale_before
        )
    ids = list((await session.execute(query)).scalars().all())
    failed: list[str] = []
    for run_id in ids:
        changed = await transition(
            session,
            run_id,
            allowed_from=ACTIVE_STATUSES,
            values={"status": JobStatus.FAILED.value, "error": message, "finished_at": now},
        )
        if changed:
            failed.append(run_id)
    return failed


async def delete_finished_before(session: AsyncSession, cutoff: datetime) -> list[tuple[str, str]]:
    """Delete jobs that finished before `cutoff`; their (owner id, run id) pairs."""
    query = select(BacktestRun.owner_id, BacktestRun.id).where(
        BacktestRun.status.not_in(ACTIVE_STATUSES), BacktestRun.finished_at < cutoff
    )
    expired = [(owner_id, run_id) for owner_id, run_id in (await session.execute(query)).all()]
    if expired:
        await session.execute(
            delete(BacktestRun).where(BacktestRun.id.in_([run_id for _, run_id in expired]))
        )
    return expired
