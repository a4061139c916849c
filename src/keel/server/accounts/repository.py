"""All SQL of paper accounts: the locked account row, ledger, positions, fills and equity history."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow, PaperAccount, PositionRow
from keel.server.auth.models import User
from keel.server.db import insert_rows
from keel.server.orders.models import FillRow, OrderRow


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


@dataclass(frozen=True, slots=True)
class LockedAccount:
    """A locked account row with what trading needs to know about its owner."""

    row: PaperAccount
    owner_born: date
    owner_token_version: int
    owner_active: bool


def _locked_with_owner() -> Select[PaperAccount, date, int, bool]:
    """Account rows with their owner's birth date, token version and status; only the account
    row is locked (`SELECT … FOR UPDATE OF paper_accounts`)."""
    return (
        select(PaperAccount, User.date_of_birth, User.token_version, User.is_active)
        .join(User, User.id == PaperAccount.user_id)
        .with_for_update(of=PaperAccount)
        .execution_options(populate_existing=True)
    )


async def lock_account_with_owner(
    session: AsyncSession, account_id: str, *, user_id: str | None = None
) -> LockedAccount | None:
    """`lock_account` plus the owner's birth date and token version, in one round trip."""
    query = _locked_with_owner().where(PaperAccount.id == account_id)
    if user_id is not None:
        query = query.where(PaperAccount.user_id == user_id)
    found = (await session.execute(query)).one_or_none()
    if found is None:
        return None
    row, born, version, active = found
    return LockedAccount(row, born, version, active)


async def lock_accounts_with_owners(
    session: AsyncSession, account_ids: Collection[str]
) -> dict[str, LockedAccount]:
    """`lock_account_with_owner` for several accounts in one round trip, locked in id order (so
    two transactions locking overlapping sets never deadlock); unknown ids are left out."""
    query = (
        _locked_with_owner()
        .where(PaperAccount.id.in_(sorted(account_ids)))
        .order_by(PaperAccount.id)
    )
    found = (await session.execute(query)).all()
    return {
        row.id: LockedAccount(row, born, version, active) for row, born, version, active in found
    }


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


async def account_states(session: AsyncSession, user_id: str) -> Sequence[Any]:
    """Every account of `user_id` as plain values (id, scenario_id, cash, ledger_length, epoch),
    never the ORM rows a workspace may hold locked and changed in the same session."""
    query = (
        select(
            PaperAccount.id,
            PaperAccount.scenario_id,
            PaperAccount.cash,
            PaperAccount.ledger_length,
            PaperAccount.epoch,
        )
        .where(PaperAccount.user_id == user_id)
        .order_by(PaperAccount.created_at, PaperAccount.id)
    )
    return (await session.execute(query)).all()


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


async def fill_values(
    session: AsyncSession, account_id: str, epoch: int, *, after: int = 0
) -> Sequence[Any]:
    """The epoch's fills as plain rows (no ORM objects), in the order they were applied, each with
    its order's type (`order_type`: the stop-loss guard counts stop exits); `after`: only those
    numbered after it (the epoch's fills are numbered 1, 2, … as they are applied)."""
    query = (
        select(
            FillRow.id,
            FillRow.order_id,
            FillRow.account_id,
            FillRow.symbol,
            FillRow.side,
            FillRow.quantity,
            FillRow.price,
            FillRow.commission,
            FillRow.time,
            OrderRow.type.label("order_type"),
        )
        .join(OrderRow, OrderRow.id == FillRow.order_id)
        .where(FillRow.account_id == account_id, FillRow.epoch == epoch)
        .where(FillRow.sequence > after)
        .order_by(FillRow.sequence)
    )
    return (await session.execute(query)).all()


async def positions(session: AsyncSession, account_id: str, epoch: int) -> Sequence[PositionRow]:
    query = (
        select(PositionRow)
        .where(PositionRow.account_id == account_id, PositionRow.epoch == epoch)
        .order_by(PositionRow.symbol)
    )
    return (await session.execute(query)).scalars().all()


POSITION_KEY = ("account_id", "epoch", "symbol")
POSITION_VALUES = ("quantity", "average_cost", "realized_pnl", "commission_paid", "updated_at")


@lru_cache(maxsize=4)
def _position_upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (account, epoch, symbol) DO UPDATE, built once per dialect so its
    compiled form is cached."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(PositionRow)
    return statement.on_conflict_do_update(
        index_elements=list(POSITION_KEY),
        set_={name: statement.excluded[name] for name in POSITION_VALUES},
    )


async def upsert_positions(session: AsyncSession, values: list[dict[str, Any]]) -> None:
    """Insert or overwrite position rows (every key of `POSITION_KEY` and `POSITION_VALUES`)."""
    await insert_rows(session, _position_upsert(session.get_bind().dialect.name), values)


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


@dataclass(frozen=True, slots=True)
class Holdings:
    """An account's cash and non-zero positions in its current epoch (for end-of-day equity)."""

    account_id: str
    epoch: int
    cash: Decimal
    quantities: dict[str, Decimal]


async def scenario_holdings(session: AsyncSession, scenario_id: str) -> list[Holdings]:
    """Every account of the scenario with its cash and current positions, in two queries."""
    accounts = (
        await session.execute(
            select(PaperAccount.id, PaperAccount.epoch, PaperAccount.cash)
            .where(PaperAccount.scenario_id == scenario_id)
            # In id order: an INSERT of one row per account (closing equity) takes its foreign
            # key locks in this order, the order desk's FOR UPDATE in the same one, so the two
            # never deadlock (benchmarks/soak.py met one in unsorted order).
            .order_by(PaperAccount.id)
        )
    ).all()
    by_id = {row.id: Holdings(row.id, row.epoch, row.cash, {}) for row in accounts}
    positions = await session.execute(
        select(PositionRow.account_id, PositionRow.epoch, PositionRow.symbol, PositionRow.quantity)
        .join(PaperAccount, PaperAccount.id == PositionRow.account_id)
        .where(PaperAccount.scenario_id == scenario_id, PositionRow.epoch == PaperAccount.epoch)
    )
    for account_id, _epoch, symbol, quantity in positions.all():
        if quantity:
            by_id[account_id].quantities[symbol] = quantity
    return list(by_id.values())
