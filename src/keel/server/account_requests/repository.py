"""All SQL of account requests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.account_requests.models import PENDING, AccountRequestRow
from keel.server.auth.models import User
from keel.server.guardians.models import GuardianLink

MAX_LISTED = 100


async def add(session: AsyncSession, row: AccountRequestRow) -> None:
    session.add(row)
    await session.flush()


async def of_minor(session: AsyncSession, minor_id: str) -> Sequence[AccountRequestRow]:
    """The minor's requests, newest first."""
    query = (
        select(AccountRequestRow)
        .where(AccountRequestRow.minor_id == minor_id)
        .order_by(AccountRequestRow.created_at.desc(), AccountRequestRow.id)
        .limit(MAX_LISTED)
    )
    return list((await session.execute(query)).scalars())


async def pending_count(session: AsyncSession, minor_id: str) -> int:
    query = select(AccountRequestRow.id).where(
        AccountRequestRow.minor_id == minor_id, AccountRequestRow.status == PENDING
    )
    return len((await session.execute(query)).all())


async def pending_for_guardian(
    session: AsyncSession, guardian_id: str
) -> Sequence[tuple[AccountRequestRow, User]]:
    query = (
        select(AccountRequestRow, User)
        .join(GuardianLink, GuardianLink.minor_id == AccountRequestRow.minor_id)
        .join(User, User.id == AccountRequestRow.minor_id)
        .where(GuardianLink.guardian_id == guardian_id, AccountRequestRow.status == PENDING)
        .order_by(AccountRequestRow.created_at, AccountRequestRow.id)
    )
    return [(row, minor) for row, minor in (await session.execute(query)).all()]


async def of_linked_minor_for_update(
    session: AsyncSession, guardian_id: str, request_id: str
) -> AccountRequestRow | None:
    """The request if its minor is linked to `guardian_id`, locked (None: 404 to the caller)."""
    query = (
        select(AccountRequestRow)
        .join(GuardianLink, GuardianLink.minor_id == AccountRequestRow.minor_id)
        .where(AccountRequestRow.id == request_id, GuardianLink.guardian_id == guardian_id)
        .with_for_update(of=AccountRequestRow)
    )
    return (await session.execute(query)).scalar_one_or_none()
