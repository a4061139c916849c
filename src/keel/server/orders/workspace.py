"""One transaction's trading workspace: a locked account, its domain aggregate and an engine.

Every use case that moves money or changes an order (placement, cancel, approval, the engine's
matching on a tick, expiry, reset) runs the same way:

1. lock the account row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite holds the write lock), with
   the owner's birth date and token version in the same round trip;
2. resume the `keel.domain.Account`: its ledger from the cash, entry count and epoch stored on the
   row (never a replay of the whole ledger), its fills and positions from the process's cache when
   the row says they are current (else read once); take back the reservations of its open orders
   into a short-lived `keel.engine` engine;
3. call the engine (its gate, reservations, fill model and lifecycle rules decide everything);
4. `flush()` writes what changed: new orders (inserted in their final state) and events, fills,
   ledger entries with the cash, entry count and peak equity on the account row, positions (one
   upsert per symbol), an equity snapshot (the rows as plain values: `orders/writes.py`); the
   fill cache is refreshed (`orders/caching.py`) and updates published (`orders/updates.py`)
   once the transaction commits. The order desk runs the two halves of `flush()`
   (`stage_orders`, `stage_changes`) for many workspaces at once and writes them together
   (`insert_orders`, `Appends.write`).

Two requests for the same account therefore run one after the other, and no interleaving can
overdraw it: each sees the other's committed fills and reservations.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.account import Account
from keel.domain.enums import OrderStatus, OrderType
from keel.domain.fills import Fill
from keel.domain.gate import OrderGate
from keel.domain.instruments import instrument_label
from keel.domain.ledger import Ledger
from keel.domain.money import to_money
from keel.domain.orders import Order
from keel.domain.portfolio import Position, positions_from_fills
from keel.engine.execution import ExecutionEngine
from keel.engine.fill_model import STOP_TYPES
from keel.risk.gate import GateChain, PositionLimitCheck
from keel.risk.minors import MinorRulesCheck
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts.models import (
    EquitySnapshot,
    PaperAccount,
)
from keel.server.accounts.state import (
    FillCache,
)
from keel.server.auth.models import ADULT_AGE_YEARS, age_on
from keel.server.breakers.accounts import OtherAccount
from keel.server.errors import ProblemError
from keel.server.guardians import repository as guardians_repo
from keel.server.lessons.models import LessonRequirementRow
from keel.server.lessons.unlocks import lesson_locks
from keel.server.market.component import scenario_of, stale_quotes_problem
from keel.server.orders import repository as orders_repo
from keel.server.orders.caching import cache_after_commit
from keel.server.orders.config import execution_config
from keel.server.orders.gating import PeakAware, RecordingGate, StopOrderAware, TogetherAware
from keel.server.orders.mapping import (
    copy_order_to_row,
    fill_from_row,
    order_from_row,
)
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import OrderOut
from keel.server.orders.updates import publish_changes
from keel.server.orders.writes import (
    Appends,
    Staged,
    event_values,
    fill_values,
    insert_orders,
    ledger_values,
    position_values,
)
from keel.server.runtime import Runtime
from keel.server.scenarios.live import LiveScenario


def fill_cache(runtime: Runtime) -> FillCache:
    """The process's cache of accounts' current-epoch fills (one per runtime)."""
    return runtime.fill_cache


def order_gate(live: LiveScenario) -> OrderGate:
    """The scenario's risk gate when its breakers are running, else the minors' rules and the
    position limit alone."""
    if live.risk is not None:
        return live.risk.gate
    return GateChain([MinorRulesCheck(), PositionLimitCheck()])


async def _stored_fills(
    session: AsyncSession, runtime: Runtime, account_id: str, epoch: int, ledger_length: int
) -> tuple[tuple[Fill, ...], frozenset[str], Mapping[str, Position]]:
    """The epoch's fills, which of them filled stop orders, and the positions they replay to:
    from the process's cache when it holds the row's state; when it holds an earlier state of
    the epoch (another process traded since), that plus the fills stored after it; else read
    once. (Reading every fill again after each other process's write made an order's cost grow
    with the account's history: the soak's p99 rose through its ten minutes.)"""
    cache = fill_cache(runtime)
    cached = cache.entry(account_id, epoch, ledger_length)
    if cached is not None and cached.positions is not None:
        return cached.fills, cached.stop_order_ids, cached.positions
    if cached is not None:
        return cached.fills, cached.stop_order_ids, positions_from_fills(cached.fills)
    earlier = cache.earlier(account_id, epoch, ledger_length)
    known: tuple[Fill, ...] = ()
    known_stops: frozenset[str] = frozenset()
    known_positions: Mapping[str, Position] | None = None
    if earlier is not None and earlier.positions is not None:
        known, known_stops, known_positions = (
            earlier.fills,
            earlier.stop_order_ids,
            earlier.positions,
        )
    stored = await accounts_repo.fill_values(session, account_id, epoch, after=len(known))
    new = tuple(fill_from_row(values) for values in stored)
    positions = positions_from_fills(new, known_positions)
    stop_order_ids = known_stops | {
        v.order_id for v in stored if OrderType(v.order_type) in STOP_TYPES
    }
    return known + new, stop_order_ids, positions


async def other_accounts(
    session: AsyncSession, runtime: Runtime, user_id: str, account_id: str
) -> list[OtherAccount]:
    """The holder's accounts other than `account_id`, as committed (not locked: an order on one
    of them meanwhile is seen by the next judgement), each with its scenario."""
    result: list[OtherAccount] = []
    for other in await accounts_repo.account_states(session, user_id):
        if other.id == account_id:
            continue
        fills, stop_order_ids, positions = await _stored_fills(
            session, runtime, other.id, other.epoch, other.ledger_length
        )
        ledger = Ledger.resume(balance=other.cash, length=other.ledger_length, epoch=other.epoch)
        account = Account(other.id, ledger=ledger, fills=fills, positions=positions)
        result.append(OtherAccount(other.scenario_id, account, stop_order_ids))
    return result


@dataclass
class Workspace:
    session: AsyncSession
    runtime: Runtime
    scenario: LiveScenario
    row: PaperAccount
    account: Account
    engine: ExecutionEngine
    gate: RecordingGate
    rows: dict[str, OrderRow] = field(default_factory=dict)
    loaded_events: dict[str, int] = field(default_factory=dict)
    ledger_loaded: int = 0
    fills_loaded: int = 0
    stop_order_ids: frozenset[str] = frozenset()
    """The epoch's filled orders that were stop or stop-limit orders."""
    stored_fills: tuple[Fill, ...] = ()
    """The epoch's fills as stored when the workspace opened, and the positions they replay to
    (the account's own positions change as the engine fills; these never do)."""
    stored_positions: Mapping[str, Position] = field(default_factory=dict)
    discarded: set[str] = field(default_factory=set)
    published: dict[str, OrderOut] = field(default_factory=dict)
    """The order as last published by `flush`, by id (what the caller answers with)."""
    origin: str = "person"
    """Who places the workspace's new orders: `person` or `autopilot` (stored on each order)."""

    @classmethod
    async def open(
        cls,
        session: AsyncSession,
        runtime: Runtime,
        row: PaperAccount,
        *,
        is_minor: bool,
        open_orders: Sequence[OrderRow] | None = None,
        lesson_requirements: Sequence[LessonRequirementRow] | None = None,
    ) -> Workspace:
        """Build the workspace of an account row the caller has already locked (its open orders
        and lesson requirements are read unless the caller read them already)."""
        ledger = Ledger.resume(balance=row.cash, length=row.ledger_length, epoch=row.epoch)
        fills, stop_order_ids, positions = await _stored_fills(
            session, runtime, row.id, row.epoch, row.ledger_length
        )
        live = scenario_of(runtime, row.scenario_id)
        account = Account(
            row.id,
            ledger=ledger,
            fills=fills,
            shorting_allowed=live.allow_short,
            is_minor=is_minor,
            positions=positions,
            # The minors' rules of the gate judge what the minor's guardians allow.
            guardian_limits=(
                await guardians_repo.guardian_limits(session, row.user_id) if is_minor else None
            ),
            # Features locked until a lesson is mastered (keel.server.lessons.unlocks).
            lesson_locks=await lesson_locks(
                session, runtime.lessons, row.id, row.user_id, lesson_requirements
            ),
            # A class's rule: no single position above a share of the starting cash.
            position_limit=(
                None
                if live.max_position_fraction is None
                else to_money(row.starting_cash * live.max_position_fraction)
            ),
        )
        risk_gate = order_gate(live)
        if isinstance(risk_gate, StopOrderAware):
            risk_gate.note_stop_orders(row.id, stop_order_ids)
        if isinstance(risk_gate, PeakAware):
            risk_gate.note_peak(row.id, row.epoch, row.peak_equity)
        if isinstance(risk_gate, TogetherAware) and risk_gate.judges_together(row.id):
            # A minor's guardian limits count all their accounts (finding 10 of issue 12).
            others = await other_accounts(session, runtime, row.user_id, row.id)
            risk_gate.note_other_accounts(row.id, others)
        gate = RecordingGate(risk_gate)
        engine = ExecutionEngine(
            live.clock,
            execution_config(runtime.settings),
            gate=gate,
            order_ids=lambda: str(uuid.uuid4()),
        )
        engine.add_account(account)
        for quote in live.feed.latest_quotes().values():
            engine.set_quote(quote)
        workspace = cls(session, runtime, live, row, account, engine, gate)
        workspace.fills_loaded = len(fills)
        workspace.stored_fills, workspace.stored_positions = fills, positions
        workspace.stop_order_ids = stop_order_ids
        if open_orders is None:
            open_orders = await orders_repo.open_orders(session, row.id)
        for order_row in open_orders:
            workspace.adopt(order_row)
        return workspace

    def untradable(self, symbol: str) -> ProblemError | None:
        """The refusal for an order in a symbol the account's scenario does not trade, or while
        its quotes are stale."""
        if self.scenario.feed.is_tradable(symbol):
            return stale_quotes_problem(self.scenario.feed)
        return ProblemError(
            422,
            "unknown-symbol",
            f"{instrument_label(symbol)} is not traded in this account's market. See GET "
            f"/api/v1/instruments?scenario={self.scenario.id} for the instruments you can trade.",
            figures={"symbol": symbol, "scenario": self.scenario.id},
        )

    def adopt(self, order_row: OrderRow) -> Order:
        """Bring a stored order into the engine (open orders reserve again)."""
        if order_row.id in self.rows:
            return self.engine.order(order_row.id)
        order = order_from_row(order_row)
        self.rows[order.id] = order_row
        self.loaded_events[order.id] = len(order.events)
        self.engine.adopt(order)
        return order

    # ----- writing back ------------------------------------------------------------------------

    async def flush(self) -> list[OrderRow]:
        """Persist every change the engine made; returns the rows of orders that changed."""
        staged = self.stage_orders()
        await insert_orders(self.session, staged.new_rows)
        rows, appends = self.stage_changes(staged)
        await appends.write(self.session)
        return rows

    def discard(self, order_id: str) -> None:
        """Never store the new order `order_id` (an order refused at placement stores nothing)."""
        self.discarded.add(order_id)

    def stage_orders(self) -> Staged:
        """Build the rows of new orders (already in their final state) and copy the engine's
        changes onto the stored ones; no I/O. `insert_orders` must write the new rows before
        `stage_changes`' rows, which reference them."""
        staged = Staged(self.runtime.clock.now())
        for order in self.engine.orders(self.account.id):
            row = self.rows.get(order.id)
            if row is None:
                if order.id in self.discarded:
                    continue
                row = self._new_row(order)
                self.rows[order.id] = row
                self.loaded_events[order.id] = 0
                staged.new_rows.append(row)
            new_events = order.events[self.loaded_events[order.id] :]
            if not new_events:
                continue
            copy_order_to_row(order, row)
            row.updated_at = staged.now
            self.loaded_events[order.id] = len(order.events)
            staged.changed.append((row, new_events, row.event_count + 1))
            row.event_count += len(new_events)
        return staged

    def stage_changes(self, staged: Staged) -> tuple[list[OrderRow], Appends]:
        """Stage the events, fills, ledger entries, positions and equity snapshot that follow
        `stage_orders` (no I/O); returns the rows of orders that changed and what to append."""
        now = staged.now
        appends = Appends()
        for row, new_events, first in staged.changed:
            appends.events += event_values(row.id, new_events, first, now)
        new_fills = self.account.fills[self.fills_loaded :]
        self.stop_order_ids |= {
            fill.order_id
            for fill in new_fills
            if self.engine.order(fill.order_id).type in STOP_TYPES
        }
        appends.fills += fill_values(new_fills, self.fills_loaded + 1, self.row.epoch, now)
        self.fills_loaded += len(new_fills)
        entries = self.account.ledger.entries[self.ledger_loaded :]
        appends.ledger += ledger_values(self.account.id, entries, now)
        self.ledger_loaded += len(entries)
        self.row.cash = self.account.cash
        self.row.ledger_length = len(self.account.ledger)
        self.row.updated_at = now
        self._store_peak()
        if new_fills:
            symbols = {fill.symbol for fill in new_fills}
            appends.positions = position_values(self.account, self.row.epoch, symbols, now)
            appends.equity.append(self._equity_values())
        cache_after_commit(self)
        rows = [row for row, _, _ in staged.changed]
        self.published |= publish_changes(self, rows)
        return rows, appends

    def _store_peak(self) -> None:
        """Keep on the row the peak equity the gate saw, when it is a new high for the epoch."""
        if not isinstance(self.gate.gate, PeakAware):
            return
        peak = self.gate.gate.peak_equity(self.row.id, self.row.epoch)
        if peak is None:
            return
        peak = to_money(peak)
        if self.row.peak_equity is None or peak > self.row.peak_equity:
            self.row.peak_equity = peak

    def _new_row(self, order: Order) -> OrderRow:
        settings = self.runtime.settings
        feed = self.scenario.feed
        expires = None
        if order.status is OrderStatus.PENDING_APPROVAL:
            expires = self.scenario.clock.now() + timedelta(
                minutes=settings.approval_expiry_minutes
            )
        return OrderRow(
            id=order.id,
            account_id=order.account_id,
            user_id=self.row.user_id,
            epoch=self.row.epoch,
            symbol=order.symbol,
            side=order.side.value,
            type=order.type.value,
            time_in_force=order.time_in_force.value,
            limit_price=order.limit_price,
            stop_price=order.stop_price,
            client_order_id=order.client_order_id,
            event_count=0,
            market_date=feed.market_date,
            approval_expires_at=expires,
            origin=self.origin,
            created_at=order.created_at,
        )

    def marks(self) -> dict[str, Decimal]:
        """Last traded price per symbol the account holds (average cost when never quoted)."""
        feed = self.scenario.feed
        prices: dict[str, Decimal] = {}
        for symbol, position in self.account.positions.items():
            quote = feed.latest_quote(symbol)
            prices[symbol] = quote.last if quote is not None else position.average_cost
        return prices

    def snapshot_equity(self) -> None:
        """Record cash and equity now (the scenario's market time)."""
        self.session.add(EquitySnapshot(**self._equity_values()))

    def _equity_values(self) -> dict[str, Any]:
        """The account's equity point now (market time; wall time as `recorded_at`)."""
        return {
            "account_id": self.account.id,
            "epoch": self.row.epoch,
            "time": self.scenario.clock.now(),
            "cash": self.account.cash,
            "equity": to_money(self.account.equity(self.marks())),
            "recorded_at": self.runtime.clock.now(),
        }


async def open_workspace(
    session: AsyncSession, runtime: Runtime, account_id: str, *, user_id: str | None = None
) -> Workspace | None:
    """Lock the account (optionally only if `user_id` owns it) and open its workspace."""
    locked = await accounts_repo.lock_account_with_owner(session, account_id, user_id=user_id)
    if locked is None:
        return None
    return await open_locked(session, runtime, locked)


async def open_locked(
    session: AsyncSession,
    runtime: Runtime,
    locked: accounts_repo.LockedAccount,
    *,
    open_orders: Sequence[OrderRow] | None = None,
    lesson_requirements: Sequence[LessonRequirementRow] | None = None,
) -> Workspace:
    """The workspace of an account locked by `accounts_repo.lock_account_with_owner`."""
    return await Workspace.open(
        session,
        runtime,
        locked.row,
        is_minor=is_minor(runtime, locked),
        open_orders=open_orders,
        lesson_requirements=lesson_requirements,
    )


def is_minor(runtime: Runtime, locked: accounts_repo.LockedAccount) -> bool:
    """Whether the account's owner is under 18 today (their orders wait for a guardian)."""
    return age_on(locked.owner_born, runtime.clock.now().date()) < ADULT_AGE_YEARS
