"""All SQL of feedback.

`scope`, where given, is a condition on `FeedbackRow` limiting what a reader may triage (a
teacher's: `keel.server.classes.repository.feedback_scope`); None is everything (an admin's list).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.auth.models import User
from keel.server.feedback.models import FeedbackRow

AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


def _scoped(query: AnySelect, scope: ColumnElement[bool] | None) -> AnySelect:
    return query if scope is None else query.where(scope)


def _filtered(
    query: AnySelect, status: str | None, page: str | None, scope: ColumnElement[bool] | None
) -> AnySelect:
    query = _scoped(query, scope)
    if status is not None:
        query = query.where(FeedbackRow.status == status)
    if page is not None:
        query = query.where(FeedbackRow.page.startswith(page, autoescape=True))
    return query


async def listing(
    session: AsyncSession,
    *,
    status: str | None,
    page: str | None,
    limit: int,
    offset: int,
    scope: ColumnElement[bool] | None = None,
) -> tuple[int, list[tuple[FeedbackRow, User]]]:
    """Feedback matching the filter, newest first, with its sender; and how many match."""
    rows = _filtered(
        select(FeedbackRow, User).join(User, User.id == FeedbackRow.user_id), status, page, scope
    )
    rows = rows.order_by(FeedbackRow.recorded_at.desc(), FeedbackRow.id).limit(limit).offset(offset)
    total = _filtered(select(func.count()).select_from(FeedbackRow), status, page, scope)
    found = [(row, user) for row, user in (await session.execute(rows)).all()]
    return int((await session.scalar(total)) or 0), found


async def status_counts(
    session: AsyncSession, scope: ColumnElement[bool] | None = None
) -> dict[str, int]:
    query = _scoped(select(FeedbackRow.status, func.count()), scope).group_by(FeedbackRow.status)
    return {str(status): int(count) for status, count in (await session.execute(query)).all()}


async def one(
    session: AsyncSession, feedback_id: str, scope: ColumnElement[bool] | None = None
) -> tuple[FeedbackRow, User] | None:
    query = _scoped(
        select(FeedbackRow, User)
        .join(User, User.id == FeedbackRow.user_id)
        .where(FeedbackRow.id == feedback_id),
        scope,
    )
    found = (await session.execute(query)).first()
    return None if found is None else (found[0], found[1])


async def emails(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.email).where(User.id.in_(ids)))
    return {str(user_id): str(email) for user_id, email in rows.all()}
