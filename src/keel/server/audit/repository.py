"""All SQL of the admins' audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.audit.models import AdminEventRow


def record(
    session: AsyncSession,
    *,
    action: str,
    subject: str,
    actor_id: str | None,
    actor: str,
    detail: dict[str, Any],
    now: datetime,
) -> AdminEventRow:
    """Add one audit row to the session (committed with the change it records)."""
    row = AdminEventRow(
        action=action,
        subject=subject,
        actor_id=actor_id,
        actor=actor,
        detail=detail,
        recorded_at=now,
    )
    session.add(row)
    return row


async def events(
    session: AsyncSession, *, action: str, subject: str | None = None, limit: int = 50
) -> Sequence[AdminEventRow]:
    """The latest audit rows of `action` (and `subject`), newest first."""
    query = select(AdminEventRow).where(AdminEventRow.action == action)
    if subject is not None:
        query = query.where(AdminEventRow.subject == subject)
    query = query.order_by(AdminEventRow.id.desc()).limit(limit)
    return (await session.scalars(query)).all()
