"""All SQL of per-account risk limits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.account_risk.models import GUARDIAN, AccountRiskLimitsRow
from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User


async def layers(
    session: AsyncSession, account_ids: Sequence[str] | None = None
) -> Sequence[tuple[AccountRiskLimitsRow, str | None]]:
    """Stored layers (of `account_ids`, or all), each with its setter's display name."""
    query = select(AccountRiskLimitsRow, User.display_name).outerjoin(
        User, User.id == AccountRiskLimitsRow.updated_by
    )
    if account_ids is not None:
        query = query.where(AccountRiskLimitsRow.account_id.in_(account_ids))
    query = query.order_by(AccountRiskLimitsRow.account_id, AccountRiskLimitsRow.layer)
    return [(row, name) for row, name in (await session.execute(query)).all()]


async def layer(session: AsyncSession, account_id: str, name: str) -> AccountRiskLimitsRow | None:
    return await session.get(AccountRiskLimitsRow, (account_id, name))


async def add(session: AsyncSession, row: AccountRiskLimitsRow) -> None:
    session.add(row)
    await session.flush()


async def account_ids_of(session: AsyncSession, user_id: str) -> list[str]:
    query = select(PaperAccount.id).where(PaperAccount.user_id == user_id).order_by(PaperAccount.id)
    return list((await session.execute(query)).scalars())


async def delete_guardian_layers(session: AsyncSession, account_ids: Sequence[str]) -> None:
    await session.execute(
        delete(AccountRiskLimitsRow).where(
            AccountRiskLimitsRow.account_id.in_(account_ids),
            AccountRiskLimitsRow.layer == GUARDIAN,
        )
    )
