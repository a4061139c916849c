"""All SQL of orders: lookups (always scoped to the owner for the API), open orders, events."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus, TimeInForce
from keel.server.accounts.models import PaperAccount
from keel.server.orders.models import FillRow, OrderEventRow, OrderRow

OPEN_STATUSES = (
    OrderStatus.PENDING_APPROVAL.value,
    OrderStatus.ACCEPTED.value,
    OrderStatus.PARTIALLY_FILLED.value,
)
WORKING_STATUSES = (OrderStatus.ACCEPTED.value, OrderStatus.PARTIALLY_FILLED.value)


def status_in(statuses: Collection[str]) -> ColumnElement[bool]:
    """`orders.status IN (…)` with the statuses written into the SQL, not sent as parameters.

    They are the code's constants. As parameters of a prepared statement, PostgreSQL's generic
    plan cannot tell that a working status is rare (it assumes a third of the rows), so it scanned
    the whole `orders` table on every tick of the engine's matching: a query that grew with every
    order ever placed (17–34 ms by the soak's fifth minute). Written in, they let the planner see
    that they imply the predicate of the partial index `ix_orders_open` (`models.OPEN_ORDERS_ONLY`)
    and read the open orders only."""
    values = sorted(statuses)
    parameter: BindParameter[str] = bindparam(
        "statuses", values, expanding=True, literal_execute=True, unique=True
    )
    return OrderRow.status.in_(parameter)


async def get_order(session: AsyncSession, order_id: str, user_id: str) -> OrderRow | None:
    query = select(OrderRow).where(OrderRow.id == order_id, OrderRow.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def by_client_order_id(
    session: AsyncSession, account_id: str, client_order_id: str
) -> OrderRow | None:
    return (await by_client_order_ids(session, [(account_id, client_order_id)])).get(
        (account_id, client_order_id)
    )


async def by_client_order_ids(
    session: AsyncSession, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], OrderRow]:
    """The orders with these (account id, client_order_id) pairs, by pair (one query)."""
    if not keys:
        return {}
    query = select(OrderRow).where(
        OrderRow.account_id.in_({account for account, _ in keys}),
        OrderRow.client_order_id.in_({client for _, client in keys}),
    )
    found = (await session.execute(query)).scalars().all()
    wanted = set(keys)
    return {
        key: row for row in found if (key := (row.account_id, row.client_order_id or "")) in wanted
    }


async def open_orders(session: AsyncSession, account_id: str) -> Sequence[OrderRow]:
    return (await open_orders_of(session, [account_id]))[account_id]


def open_orders_query(account_ids: Collection[str]) -> Select[OrderRow]:
    """The open orders of the accounts, oldest first (through `ix_orders_open`)."""
    return (
        select(OrderRow)
        .where(OrderRow.account_id.in_(sorted(account_ids)), status_in(OPEN_STATUSES))
        .order_by(OrderRow.created_at, OrderRow.id)
    )


async def open_orders_of(
    session: AsyncSession, account_ids: Collection[str]
) -> dict[str, list[OrderRow]]:
    """The open orders of each account, oldest first (every id has a list; one query)."""
    query = open_orders_query(account_ids).execution_options(populate_existing=True)
    grouped: dict[str, list[OrderRow]] = {account_id: [] for account_id in account_ids}
    for row in (await session.execute(query)).scalars():
        grouped[row.account_id].append(row)
    return grouped


async def list_orders(
    session: AsyncSession,
    user_id: str,
    *,
    account_id: str | None = None,
    statuses: Iterable[str] = (),
    symbol: str | None = None,
    limit: int = 100,
    before: datetime | None = None,
) -> Sequence[OrderRow]:
    query = select(OrderRow).where(OrderRow.user_id == user_id)
    if account_id is not None:
        query = query.where(OrderRow.account_id == account_id)
    wanted = list(statuses)
    if wanted:
        query = query.where(OrderRow.status.in_(wanted))
    if symbol is not None:
        query = query.where(OrderRow.symbol == symbol)
    if before is not None:
        query = query.where(OrderRow.created_at < before)
    query = query.order_by(OrderRow.created_at.desc(), OrderRow.id.desc()).limit(limit)
    return (await session.execute(query)).scalars().all()


async def events(session: AsyncSession, order_id: str) -> Sequence[OrderEventRow]:
    query = (
        select(OrderEventRow)
        .where(OrderEventRow.order_id == order_id)
        .order_by(OrderEventRow.sequence)
    )
    return (await session.execute(query)).scalars().all()


async def order_fills(session: AsyncSession, order_id: str) -> Sequence[FillRow]:
    query = select(FillRow).where(FillRow.order_id == order_id).order_by(FillRow.sequence)
    return (await session.execute(query)).scalars().all()


def _in_scenario(scenario_id: str) -> ColumnElement[bool]:
    """Orders of the accounts that trade in `scenario_id`."""
    accounts = select(PaperAccount.id).where(PaperAccount.scenario_id == scenario_id)
    return OrderRow.account_id.in_(accounts)


def working_orders_query(scenario_id: str, symbols: Iterable[str]) -> Select[OrderRow]:
    """Working orders of the given symbols in a scenario, oldest first (through
    `ix_orders_open`: what the engine matches on every tick must not cost the orders' history)."""
    return (
        select(OrderRow)
        .where(
            OrderRow.symbol.in_(list(symbols)),
            status_in(WORKING_STATUSES),
            _in_scenario(scenario_id),
        )
        .order_by(OrderRow.created_at, OrderRow.id)
    )


async def working_orders_for(
    session: AsyncSession, scenario_id: str, symbols: Iterable[str]
) -> Sequence[OrderRow]:
    """Working orders of the given symbols in a scenario, oldest first (what the engine matches
    on a tick)."""
    return (await session.execute(working_orders_query(scenario_id, symbols))).scalars().all()


async def expired_day_orders(
    session: AsyncSession, scenario_id: str, market_date: date
) -> Sequence[OrderRow]:
    """Working day orders of a scenario of an earlier trading day than `market_date` (an order
    waiting for its guardian is not working yet: its day is the day it is approved)."""
    query = select(OrderRow).where(
        _in_scenario(scenario_id),
        status_in(WORKING_STATUSES),
        OrderRow.time_in_force == TimeInForce.DAY.value,
        OrderRow.market_date < market_date,
    )
    return (await session.execute(query)).scalars().all()


async def overdue_approvals(
    session: AsyncSession, scenario_id: str, now: datetime
) -> Sequence[OrderRow]:
    """Orders of a scenario still pending a guardian's approval whose deadline is before `now`
    (the scenario's market time)."""
    query = select(OrderRow).where(
        _in_scenario(scenario_id),
        status_in([OrderStatus.PENDING_APPROVAL.value]),
        OrderRow.approval_expires_at < now,
    )
    return (await session.execute(query)).scalars().all()
