"""Ledger and position invariants of every account, for `keel check` and the tests.

- cash on the account row equals the sum of its ledger, and every entry's running balance holds;
- each stored position equals the replay of that epoch's fills (quantity), and no position is
  short while short selling is off;
- each order's filled quantity equals the sum of its fills.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.account import Account
from keel.domain.errors import DomainError
from keel.domain.ledger import ledger_sum
from keel.domain.portfolio import positions_from_fills
from keel.server.accounts import repository
from keel.server.accounts.models import PaperAccount
from keel.server.orders.mapping import entry_from_row, fill_from_row
from keel.server.orders.models import FillRow, OrderRow

ZERO = Decimal(0)


@dataclass
class CheckReport:
    accounts: int = 0
    ledger_entries: int = 0
    fills: int = 0
    orders: int = 0
    violations: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.violations


async def check_account(
    session: AsyncSession, row: PaperAccount, *, shorting_allowed: bool, report: CheckReport
) -> None:
    where = f"account {row.id} ({row.name})"
    entries = [entry_from_row(r) for r in await repository.ledger_entries(session, row.id)]
    fills = [fill_from_row(r) for r in await repository.fills(session, row.id, row.epoch)]
    report.ledger_entries += len(entries)
    report.fills += len(fills)
    total = ledger_sum(entries)
    if total != row.cash:
        report.violations.append(f"{where}: cash {row.cash} != sum of ledger {total}")
    if len(entries) != row.ledger_length:
        report.violations.append(
            f"{where}: {len(entries)} ledger entries but the account counts {row.ledger_length}"
        )
    try:
        account = Account.restore(row.id, entries, fills, shorting_allowed=shorting_allowed)
    except DomainError as error:
        report.violations.append(f"{where}: ledger does not replay: {error}")
        return
    if account.ledger.epoch != row.epoch:
        report.violations.append(
            f"{where}: ledger is at epoch {account.ledger.epoch}, account at {row.epoch}"
        )
    report.violations.extend(f"{where}: {problem}" for problem in account.invariant_violations())
    replayed = positions_from_fills(fills)
    stored = {p.symbol: p for p in await repository.positions(session, row.id, row.epoch)}
    for symbol in sorted(set(replayed) | set(stored)):
        expected = replayed[symbol].quantity if symbol in replayed else ZERO
        held = stored[symbol].quantity if symbol in stored else ZERO
        if expected != held:
            report.violations.append(
                f"{where}: {symbol} position {held} != sum of fills {expected}"
            )


async def check_orders(session: AsyncSession, report: CheckReport) -> None:
    filled: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for order_id, quantity in await session.execute(select(FillRow.order_id, FillRow.quantity)):
        filled[order_id] += quantity
    rows = (await session.execute(select(OrderRow.id, OrderRow.filled_quantity))).all()
    report.orders = len(rows)
    for order_id, quantity in rows:
        if filled[order_id] != quantity:
            report.violations.append(
                f"order {order_id}: filled {quantity} != sum of its fills {filled[order_id]}"
            )


async def check_all(session: AsyncSession, *, shorting_allowed: bool = False) -> CheckReport:
    """Check every account and order; the report lists violations in plain words."""
    report = CheckReport()
    accounts = (await session.execute(select(PaperAccount).order_by(PaperAccount.id))).scalars()
    for row in accounts.all():
        report.accounts += 1
        await check_account(session, row, shorting_allowed=shorting_allowed, report=report)
    await check_orders(session, report)
    return report
