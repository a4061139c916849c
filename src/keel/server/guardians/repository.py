"""All SQL of the guardian side."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.guardians import GuardianLimits
from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User
from keel.server.guardians.models import GuardianInvitation, GuardianLink, MinorLimitsRow


async def add(
    session: AsyncSession, row: GuardianInvitation | GuardianLink | MinorLimitsRow
) -> None:
    session.add(row)
    await session.flush()


async def invitation_for_update(session: AsyncSession, code_hash: str) -> GuardianInvitation | None:
    result = await session.execute(
        select(GuardianInvitation)
        .where(GuardianInvitation.code_hash == code_hash)
        .with_for_update()
    )
    return result.scalar_one_or_none()


async def links_of_minor(session: AsyncSession, minor_id: str) -> Sequence[GuardianLink]:
    """The minor's guardian links, oldest first."""
    result = await session.execute(
        select(GuardianLink)
        .where(GuardianLink.minor_id == minor_id)
        .order_by(GuardianLink.created_at, GuardianLink.id)
    )
    return result.scalars().all()


async def link(session: AsyncSession, guardian_id: str, minor_id: str) -> GuardianLink | None:
    """The link between this guardian and this minor, if there is one."""
    result = await session.execute(
        select(GuardianLink).where(
            GuardianLink.guardian_id == guardian_id, GuardianLink.minor_id == minor_id
        )
    )
    return result.scalar_one_or_none()


async def guardians_of(session: AsyncSession, minor_id: str) -> Sequence[User]:
    """The active guardians linked to the minor, oldest link first."""
    result = await session.execute(
        select(User)
        .join(GuardianLink, GuardianLink.guardian_id == User.id)
        .where(GuardianLink.minor_id == minor_id, User.is_active.is_(True))
        .order_by(GuardianLink.created_at, User.id)
    )
    return result.scalars().all()


async def guardian_limits(session: AsyncSession, minor_id: str) -> GuardianLimits | None:
    """What the minor's guardians allow, in one query; None when no guardian is linked."""
    query = (
        select(MinorLimitsRow.max_order_notional, MinorLimitsRow.trading_paused)
        .select_from(GuardianLink)
        .outerjoin(MinorLimitsRow, MinorLimitsRow.minor_id == GuardianLink.minor_id)
        .where(GuardianLink.minor_id == minor_id)
        .limit(1)
    )
    found = (await session.execute(query)).first()
    if found is None:
        return None
    cap, paused = found
    return GuardianLimits(max_order_notional=cap, trading_paused=bool(paused))


async def linked_minors(
    session: AsyncSession, guardian_id: str
) -> Sequence[tuple[User, GuardianLink, MinorLimitsRow | None]]:
    result = await session.execute(
        select(User, GuardianLink, MinorLimitsRow)
        .join(GuardianLink, GuardianLink.minor_id == User.id)
        .outerjoin(MinorLimitsRow, MinorLimitsRow.minor_id == User.id)
        .where(GuardianLink.guardian_id == guardian_id)
        .order_by(GuardianLink.created_at, User.id)
    )
    return [(user, link, limits) for user, link, limits in result.all()]


async def account_ids_by_owner(
    session: AsyncSession, owner_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Each owner's paper account ids (oldest first)."""
    query = (
        select(PaperAccount.user_id, PaperAccount.id)
        .where(PaperAccount.user_id.in_(owner_ids))
        .order_by(PaperAccount.created_at, PaperAccount.id)
    )
    found: dict[str, list[str]] = {owner: [] for owner in owner_ids}
    for owner, account_id in (await session.execute(query)).all():
        found[owner].append(account_id)
    return found


async def limits_of(session: AsyncSession, minor_id: str) -> MinorLimitsRow | None:
    return await session.get(MinorLimitsRow, minor_id)


async def delete_link(session: AsyncSession, link: GuardianLink) -> None:
    await session.execute(delete(GuardianLink).where(GuardianLink.id == link.id))
