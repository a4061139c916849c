"""What a workspace writes, as plain values: one INSERT per table for any number of workspaces.

`Workspace.stage_orders` and `stage_changes` build these without I/O; the order desk collects
many workspaces' `Appends` and writes them together (`insert_orders` first: the other rows refer
to the orders).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from keel.domain.account import Account
from keel.domain.fills import Fill
from keel.domain.ledger import LedgerEntry
from keel.domain.orders import OrderEvent
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow
from keel.server.db import insert_rows
from keel.server.metrics import FILLS, ORDERS
from keel.server.orders.models import FillRow, OrderEventRow, OrderRow

COST_PLACES = Decimal("0.000001")


@dataclass
class Appends:
    """Append-only rows staged workspaces write (plain values: one INSERT per table, no ORM
    objects to track, straight to the driver: `db.insert_rows`) and the position rows to upsert."""

    events: list[dict[str, Any]] = field(default_factory=list)
    fills: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    equity: list[dict[str, Any]] = field(default_factory=list)
    positions: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: Appends) -> None:
        self.events += other.events
        self.fills += other.fills
        self.ledger += other.ledger
        self.equity += other.equity
        self.positions += other.positions

    async def write(self, session: AsyncSession) -> None:
        """Insert the rows (after their orders), then upsert the positions."""
        for model, rows in (
            (OrderEventRow, self.events),
            (FillRow, self.fills),
            (LedgerEntryRow, self.ledger),
            (EquitySnapshot, self.equity),
        ):
            await insert_rows(session, cast(Table, model.__table__), rows)
        await accounts_repo.upsert_positions(session, self.positions)


_ORDER_COLUMNS = tuple(column.key for column in cast(Table, OrderRow.__table__).columns)


async def insert_orders(session: AsyncSession, rows: list[OrderRow]) -> None:
    """INSERT new order rows in one statement (no unit-of-work bookkeeping), then attach them to
    the session as stored rows, so later changes to them are UPDATEs."""
    if not rows:
        return
    values = [{key: getattr(row, key) for key in _ORDER_COLUMNS} for row in rows]
    await insert_rows(session, cast(Table, OrderRow.__table__), values)
    for row in rows:
        make_transient_to_detached(row)
        session.add(row)


@dataclass
class Staged:
    """What `Workspace.stage_orders` found to write: changed rows with their new events."""

    now: datetime
    changed: list[tuple[OrderRow, list[OrderEvent], int]] = field(default_factory=list)
    """(row, its new events, the sequence number of the first of them)."""
    new_rows: list[OrderRow] = field(default_factory=list)
    """Rows of new orders, not yet in the session: `insert_orders` writes them before anything
    that references them."""


def event_values(
    order_id: str, events: Sequence[OrderEvent], first: int, now: datetime
) -> list[dict[str, Any]]:
    """Rows of an order's new events, numbered from `first` (market time; `now` is wall time)."""
    values = []
    for sequence, event in enumerate(events, start=first):
        values.append(
            {
                "order_id": order_id,
                "sequence": sequence,
                "time": event.time,
                "from_status": event.from_status.value if event.from_status else None,
                "to_status": event.to_status.value,
                "reason": event.reason[:500],
                "code": event.code,
                "recorded_at": now,
            }
        )
        if event.from_status is not event.to_status:
            ORDERS.labels(event.to_status.value).inc()
    return values


def fill_values(
    fills: Sequence[Fill], first: int, epoch: int, now: datetime
) -> list[dict[str, Any]]:
    """Rows of an account's new fills, numbered from `first` in the order they were applied."""
    values = []
    for sequence, fill in enumerate(fills, start=first):
        values.append(
            {
                "id": fill.id,
                "order_id": fill.order_id,
                "account_id": fill.account_id,
                "epoch": epoch,
                "sequence": sequence,
                "symbol": fill.symbol,
                "side": fill.side.value,
                "quantity": fill.quantity,
                "price": fill.price,
                "commission": fill.commission,
                "time": fill.time,
                "recorded_at": now,
            }
        )
        FILLS.labels(fill.symbol, fill.side.value).inc()
    return values


def ledger_values(
    account_id: str, entries: Iterable[LedgerEntry], now: datetime
) -> list[dict[str, Any]]:
    """Rows of an account's new ledger entries."""
    return [
        {
            "account_id": account_id,
            "sequence": entry.sequence,
            "epoch": entry.epoch,
            "time": entry.time,
            "kind": entry.kind.value,
            "amount": entry.amount,
            "balance_after": entry.balance_after,
            "reference": entry.reference,
            "memo": entry.memo[:200],
            "recorded_at": now,
        }
        for entry in entries
    ]


def position_values(
    account: Account, epoch: int, symbols: Iterable[str], now: datetime
) -> list[dict[str, Any]]:
    """The position row of each symbol, to upsert (no read first: the account row is locked)."""
    values = []
    for symbol in sorted(symbols):
        position = account.position(symbol)
        values.append(
            {
                "account_id": account.id,
                "epoch": epoch,
                "symbol": symbol,
                "quantity": position.quantity,
                "average_cost": position.average_cost.quantize(COST_PLACES),
                "realized_pnl": position.realized_pnl.quantize(COST_PLACES),
                "commission_paid": position.commission_paid,
                "updated_at": now,
            }
        )
    return values
