"""Use cases of paper accounts. Never commits: the request's session does, once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.account import Account
from keel.domain.money import format_money, to_money
from keel.server.accounts import repository
from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow, PaperAccount
from keel.server.accounts.schemas import AccountOut, PositionOut
from keel.server.auth.models import User
from keel.server.errors import ProblemError, not_found
from keel.server.market.component import scenario_of
from keel.server.orders.workspace import Workspace
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.service import tradable_scenario

ZERO = Decimal(0)


def checked_starting_cash(runtime: Runtime, requested: Decimal | None) -> Decimal:
    settings = runtime.settings
    amount = settings.default_starting_cash if requested is None else requested
    if amount > settings.max_starting_cash:
        raise ProblemError(
            422,
            "starting-cash-too-large",
            f"A practice account can start with at most "
            f"{format_money(settings.max_starting_cash)} (you asked for {format_money(amount)}).",
            figures={"requested": amount, "maximum": settings.max_starting_cash},
        )
    return to_money(amount)


async def open_account(
    session: AsyncSession,
    runtime: Runtime,
    user: User,
    name: str,
    starting_cash: Decimal | None,
    *,
    scenario_id: str = DEFAULT_SCENARIO_ID,
) -> Workspace:
    """Open an account in a scenario, funded by one deposit entry in its ledger (the scenario's
    starting cash unless the caller asks for another amount)."""
    scenario = await tradable_scenario(session, scenario_id)
    live = scenario_of(runtime, scenario.id)
    cash = checked_starting_cash(runtime, starting_cash or scenario.starting_cash)
    now = runtime.clock.now()
    row = PaperAccount(
        id=str(uuid.uuid4()),
        user_id=user.id,
        scenario_id=live.id,
        name=name.strip() or "Paper account",
        epoch=0,
        starting_cash=cash,
        cash=ZERO,
        ledger_length=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    workspace = await Workspace.open(session, runtime, row, is_minor=user.is_minor_on(now.date()))
    workspace.account.deposit(cash, time=live.clock.now(), memo="starting cash")
    await workspace.flush()
    workspace.snapshot_equity()
    return workspace


async def account_workspace(
    session: AsyncSession, runtime: Runtime, user: User, account_id: str, *, lock: bool = False
) -> Workspace:
    """The caller's account with its domain state; 404 when it is not theirs."""
    if lock:
        row = await repository.lock_account(session, account_id, user_id=user.id)
    else:
        row = await repository.get_account(session, account_id, user.id)
    if row is None:
        raise not_found("account")
    today = runtime.clock.now().date()
    return await Workspace.open(session, runtime, row, is_minor=user.is_minor_on(today))


async def list_accounts(session: AsyncSession, runtime: Runtime, user: User) -> list[AccountOut]:
    rows = await repository.list_accounts(session, user.id)
    today = runtime.clock.now().date()
    result = []
    for row in rows:
        workspace = await Workspace.open(session, runtime, row, is_minor=user.is_minor_on(today))
        result.append(describe(workspace))
    return result


def describe(workspace: Workspace) -> AccountOut:
    """The account with positions valued at the last traded price of the live feed."""
    account: Account = workspace.account
    marks = workspace.marks()
    positions: list[PositionOut] = []
    unrealized = ZERO
    realized = ZERO
    for symbol, position in sorted(account.positions.items()):
        price = marks.get(symbol)
        value = position.market_value(price) if price is not None else None
        pnl = position.unrealized_pnl(price) if price is not None else None
        unrealized += pnl or ZERO
        realized += position.realized_pnl
        positions.append(
            PositionOut(
                symbol=symbol,
                quantity=position.quantity,
                average_cost=position.average_cost.quantize(Decimal("0.0001")),
                market_price=price,
                market_value=to_money(value) if value is not None else None,
                unrealized_pnl=to_money(pnl) if pnl is not None else None,
                realized_pnl=to_money(position.realized_pnl),
                commission_paid=position.commission_paid,
            )
        )
    row = workspace.row
    return AccountOut(
        id=row.id,
        scenario_id=row.scenario_id,
        name=row.name,
        epoch=row.epoch,
        starting_cash=to_money(row.starting_cash),
        cash=to_money(account.cash),
        buying_power=to_money(account.buying_power),
        equity=to_money(account.equity(marks)),
        unrealized_pnl=to_money(unrealized),
        realized_pnl=to_money(realized),
        positions=positions,
        created_at=row.created_at,
        reset_at=row.reset_at,
    )


async def reset_account(
    session: AsyncSession,
    runtime: Runtime,
    user: User,
    account_id: str,
    starting_cash: Decimal | None,
) -> Workspace:
    """Cancel open orders, archive cash, positions and fills under the old epoch, fund afresh."""
    workspace = await account_workspace(session, runtime, user, account_id, lock=True)
    cash = checked_starting_cash(runtime, starting_cash or workspace.row.starting_cash)
    for order in workspace.engine.orders(account_id, open_only=True):
        workspace.engine.cancel(order.id, reason="account reset")
    await workspace.flush()
    workspace.account.reset(cash, time=workspace.scenario.clock.now())
    workspace.row.epoch += 1
    workspace.row.starting_cash = cash
    workspace.row.reset_at = runtime.clock.now()
    workspace.row.peak_equity = None
    await workspace.flush()
    workspace.snapshot_equity()
    return workspace


async def ledger(
    session: AsyncSession,
    user: User,
    account_id: str,
    *,
    epoch: int | None,
    limit: int,
    before_sequence: int | None,
) -> Sequence[LedgerEntryRow]:
    if await repository.get_account(session, account_id, user.id) is None:
        raise not_found("account")
    return await repository.ledger_entries(
        session,
        account_id,
        epoch=epoch,
        limit=limit,
        before_sequence=before_sequence,
        newest_first=True,
    )


async def equity_history(
    session: AsyncSession, user: User, account_id: str, *, epoch: int | None, limit: int
) -> Sequence[EquitySnapshot]:
    row = await repository.get_account(session, account_id, user.id)
    if row is None:
        raise not_found("account")
    return await repository.equity_history(
        session, account_id, row.epoch if epoch is None else epoch, limit
    )
