"""All SQL of flags: the admins' stored changes, and users' cohorts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.auth.models import User
from keel.server.flags.definitions import FlagChange
from keel.server.flags.models import FlagChangeRow


async def stored_changes(session: AsyncSession) -> dict[str, FlagChange]:
    rows = (await session.scalars(select(FlagChangeRow))).all()
    return {
        row.key: FlagChange(
            state=row.state, default_variant=row.default_variant, cohorts=row.cohorts
        )
        for row in rows
    }


async def change_row(session: AsyncSession, key: str) -> FlagChangeRow | None:
    """The stored change of flag `key`, locked for update (PostgreSQL)."""
    query = select(FlagChangeRow).where(FlagChangeRow.key == key).with_for_update()
    return (await session.scalars(query)).first()


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.scalars(select(User).where(User.email == email.lower()))).first()


async def users_in_cohort(session: AsyncSession, cohort: str, limit: int = 200) -> list[User]:
    query = select(User).where(User.cohort == cohort).order_by(User.email).limit(limit)
    return list((await session.scalars(query)).all())
