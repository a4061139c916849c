"""All SQL of paper accounts: the locked account row, ledger, positions, fills and equity history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow, PaperAccount, PositionRow
from keel.server.auth.models import User, age_on
from keel.server.orders.models import FillRow

ADULT_AGE_YEARS = 18


async def lock_account(
    session: AsyncSession, account_id: str, *, user_id: str | None = None
) -> PaperAccount | None:
    """The account row, locked until the transaction ends (`SELECT … FOR UPDATE` on PostgreSQL;
    SQLite's transactions already hold the write lock). `user_id` restricts to one owner."""
    query = select(PaperAccount).where(PaperAccount.id == account_id)
    if user_id is not None:
        query = query.where(PaperAccount.user_id == user_id)
    query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


async def get_account(session: AsyncSession, account_id: str, user_id: str) -> PaperAccount | None:
    query = select(PaperAccount).where(
        PaperAccount.id == account_id, PaperAccount.user_id == user_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_accounts(session: AsyncSession, user_id: str) -> Sequence[PaperAccount]:
    query = (
        select(PaperAccount)
        .where(PaperAccount.user_id == user_id)
        .order_by(PaperAccount.created_at, PaperAccount.id)
    )
    return (await session.execute(query)).scalars().all()


async def all_account_ids(session: AsyncSession) -> list[str]:
    return list(
        (await session.execute(select(PaperAccount.id).order_by(PaperAccount.id))).scalars()
    )


async def owner_is_minor(session: AsyncSession, user_id: str, today: date) -> bool:
    born = (
        await session.execute(select(User.date_of_birth).where(User.id == user_id))
    ).scalar_one()
    return age_on(born, today) < ADULT_AGE_YEARS


async def ledger_entries(
    session: AsyncSession,
    account_id: str,
    *,
    epoch: int | None = None,
    limit: int | None = None,
    before_sequence: int | None = None,
    newest_first: bool = False,
) -> Sequence[LedgerEntryRow]:
    query = select(LedgerEntryRow).where(LedgerEntryRow.account_id == account_id)
    if epoch is not None:
        query = query.where(LedgerEntryRow.epoch == epoch)
    if before_sequence is not None:
        query = query.where(LedgerEntryRow.sequence < before_sequence)
    order = LedgerEntryRow.sequence.desc() if newest_first else LedgerEntryRow.sequence
    query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return (await session.execute(query)).scalars().all()


async def fills(session: AsyncSession, account_id: str, epoch: int) -> Sequence[FillRow]:
    query = (
        select(FillRow)
        .where(FillRow.account_id == account_id, FillRow.epoch == epoch)
        .order_by(FillRow.sequence)
    )
    return (await session.execute(query)).scalars().all()


async def positions(session: AsyncSession, account_id: str, epoch: int) -> Sequence[PositionRow]:
    query = (
        select(PositionRow)
        .where(PositionRow.account_id == account_id, PositionRow.epoch == epoch)
        .order_by(PositionRow.symbol)
    )
    return (await session.execute(query)).scalars().all()


async def equity_history(
    session: AsyncSession, account_id: str, epoch: int, limit: int
) -> Sequence[EquitySnapshot]:
    query = (
        select(EquitySnapshot)
        .where(EquitySnapshot.account_id == account_id, EquitySnapshot.epoch == epoch)
        .order_by(EquitySnapshot.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).scalars().all()
    return list(reversed(rows))


async def ledger_sums(session: AsyncSession) -> dict[str, tuple[int, object]]:
    """Per account: number of ledger rows and the database's own sum of their amounts."""
    query = select(
        LedgerEntryRow.account_id, func.count(LedgerEntryRow.id), func.max(LedgerEntryRow.sequence)
    ).group_by(LedgerEntryRow.account_id)
    return {row[0]: (row[1], row[2]) for row in (await session.execute(query)).all()}
