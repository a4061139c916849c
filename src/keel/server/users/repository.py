"""All SQL of the admin's user directory."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User
from keel.server.guardians.models import GuardianLink


def _matching(query: str | None, role: str | None) -> Select[User]:
    statement = select(User)
    if query:
        # A search box, not a pattern language: % and _ typed by the admin match themselves.
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            or_(
                User.email.like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    if role:
        statement = statement.where(User.role == role)
    return statement


async def page(
    session: AsyncSession, *, query: str | None, role: str | None, limit: int, offset: int
) -> tuple[Sequence[tuple[User, int]], int]:
    """Users matching the search, newest first, each with their number of accounts; and the total."""
    matching = _matching(query, role).subquery()
    total = (await session.execute(select(func.count()).select_from(matching))).scalar_one()
    accounts = (
        select(PaperAccount.user_id, func.count().label("accounts"))
        .group_by(PaperAccount.user_id)
        .subquery()
    )
    result = await session.execute(
        _matching(query, role)
        .add_columns(func.coalesce(accounts.c.accounts, 0))
        .outerjoin(accounts, accounts.c.user_id == User.id)
        .order_by(User.created_at.desc(), User.id)
        .limit(limit)
        .offset(offset)
    )
    return [(user, count) for user, count in result.all()], total


async def get(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def accounts_of(session: AsyncSession, user_id: str) -> Sequence[PaperAccount]:
    result = await session.execute(
        select(PaperAccount)
        .where(PaperAccount.user_id == user_id)
        .order_by(PaperAccount.created_at, PaperAccount.id)
    )
    return result.scalars().all()


async def linked(session: AsyncSession, user_id: str) -> tuple[Sequence[User], Sequence[User]]:
    """The user's guardians (when a minor) and minors (when a guardian), oldest link first."""
    guardians = await session.execute(
        select(User)
        .join(GuardianLink, GuardianLink.guardian_id == User.id)
        .where(GuardianLink.minor_id == user_id)
        .order_by(GuardianLink.created_at, User.id)
    )
    minors = await session.execute(
        select(User)
        .join(GuardianLink, GuardianLink.minor_id == User.id)
        .where(GuardianLink.guardian_id == user_id)
        .order_by(GuardianLink.created_at, User.id)
    )
    return guardians.scalars().all(), minors.scalars().all()
