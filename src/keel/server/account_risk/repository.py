"""All SQL of risk limits: the holders' own per account, the guardians' per minor."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.account_risk.models import OWNER, AccountRiskLimitsRow, GuardianRiskLimitsRow
from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User


async def own_layers(
    session: AsyncSession, holder_ids: Sequence[str] | None = None
) -> Sequence[tuple[AccountRiskLimitsRow, str]]:
    """The holders' own limits (on the accounts of `holder_ids`, or all), each with the holder."""
    query = (
        select(AccountRiskLimitsRow, PaperAccount.user_id)
        .join(PaperAccount, PaperAccount.id == AccountRiskLimitsRow.account_id)
        .where(AccountRiskLimitsRow.layer == OWNER)
    )
    if holder_ids is not None:
        query = query.where(PaperAccount.user_id.in_(holder_ids))
    return [(row, holder) for row, holder in (await session.execute(query)).all()]


async def own_layer(session: AsyncSession, account_id: str) -> AccountRiskLimitsRow | None:
    return await session.get(AccountRiskLimitsRow, (account_id, OWNER))


async def guardian_layers(
    session: AsyncSession, minor_ids: Sequence[str] | None = None
) -> Sequence[tuple[GuardianRiskLimitsRow, str | None]]:
    """The guardians' limits (of `minor_ids`, or all), each with its setter's display name."""
    query = select(GuardianRiskLimitsRow, User.display_name).outerjoin(
        User, User.id == GuardianRiskLimitsRow.updated_by
    )
    if minor_ids is not None:
        query = query.where(GuardianRiskLimitsRow.minor_id.in_(minor_ids))
    return [(row, name) for row, name in (await session.execute(query)).all()]


async def guardian_layer(session: AsyncSession, minor_id: str) -> GuardianRiskLimitsRow | None:
    return await session.get(GuardianRiskLimitsRow, minor_id)


async def add(session: AsyncSession, row: AccountRiskLimitsRow | GuardianRiskLimitsRow) -> None:
    session.add(row)
    await session.flush()


async def accounts_of(session: AsyncSession, user_ids: Sequence[str]) -> dict[str, str]:
    """Every account of `user_ids` → its holder."""
    query = select(PaperAccount.id, PaperAccount.user_id).where(PaperAccount.user_id.in_(user_ids))
    return {account_id: user_id for account_id, user_id in (await session.execute(query)).all()}


async def delete_guardian_layer(session: AsyncSession, minor_id: str) -> None:
    await session.execute(
        delete(GuardianRiskLimitsRow).where(GuardianRiskLimitsRow.minor_id == minor_id)
    )
