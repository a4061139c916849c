"""One transaction's trading workspace: a locked account, its domain aggregate and an engine.

Every use case that moves money or changes an order (placement, cancel, approval, the engine's
matching on a tick, expiry, reset) runs the same way:

1. lock the account row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite holds the write lock);
2. rebuild the `keel.domain.Account` from its ledger and this epoch's fills, and take back the
   reservations of its open orders into a short-lived `keel.engine` engine;
3. call the engine (its gate, reservations, fill model and lifecycle rules decide everything);
4. `flush()` writes what changed: new orders and events, fills, ledger entries, positions, the cash
   on the account row, an equity snapshot; updates are published once the transaction commits.

Two requests for the same account therefore run one after the other, and no interleaving can
overdraw it: each sees the other's committed fills and reservations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.account import Account
from keel.domain.enums import OrderStatus
from keel.domain.fills import Fill
from keel.domain.gate import AllowAllGate, OrderGate
from keel.domain.money import to_money
from keel.domain.orders import Order, OrderEvent
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts.models import (
    EquitySnapshot,
    LedgerEntryRow,
    PaperAccount,
    PositionRow,
)
from keel.server.market.component import get_feed
from keel.server.metrics import FILLS, ORDERS
from keel.server.orders import repository as orders_repo
from keel.server.orders.config import execution_config
from keel.server.orders.engine_adapter import AccountEngine, RecordingGate
from keel.server.orders.mapping import (
    copy_order_to_row,
    entry_from_row,
    fill_from_row,
    order_from_row,
)
from keel.server.orders.models import FillRow, OrderEventRow, OrderRow
from keel.server.orders.schemas import OrderOut
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.runtime import Runtime

COST_PLACES = Decimal("0.000001")


def order_gate(runtime: Runtime) -> OrderGate:
    """The risk layer's gate when the breakers are running, else one that allows everything."""
    gate: OrderGate | None = runtime.components.get("order_gate")
    return gate if gate is not None else AllowAllGate()


@dataclass
class Workspace:
    session: AsyncSession
    runtime: Runtime
    row: PaperAccount
    account: Account
    engine: AccountEngine
    gate: RecordingGate
    rows: dict[str, OrderRow] = field(default_factory=dict)
    loaded_events: dict[str, int] = field(default_factory=dict)
    ledger_loaded: int = 0
    fills_loaded: int = 0

    @classmethod
    async def open(
        cls, session: AsyncSession, runtime: Runtime, row: PaperAccount, *, is_minor: bool
    ) -> Workspace:
        """Build the workspace of an account row the caller has already locked."""
        entries = [entry_from_row(r) for r in await accounts_repo.ledger_entries(session, row.id)]
        fills = [fill_from_row(r) for r in await accounts_repo.fills(session, row.id, row.epoch)]
        account = Account.restore(
            row.id,
            entries,
            fills,
            shorting_allowed=runtime.settings.allow_short_selling,
            is_minor=is_minor,
        )
        gate = RecordingGate(order_gate(runtime))
        engine = AccountEngine(
            runtime.clock,
            execution_config(runtime.settings),
            gate=gate,
            order_ids=lambda: str(uuid.uuid4()),
        )
        engine.add_account(account)
        for quote in get_feed(runtime).latest_quotes().values():
            engine.set_quote(quote)
        workspace = cls(session, runtime, row, account, engine, gate)
        workspace.ledger_loaded = len(account.ledger)
        workspace.fills_loaded = len(account.fills)
        for order_row in await orders_repo.open_orders(session, row.id):
            workspace.adopt(order_row)
        return workspace

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
        now = self.runtime.clock.now()
        changed: list[tuple[OrderRow, list[OrderEvent]]] = []
        for order in self.engine.orders(self.account.id):
            row = self.rows.get(order.id)
            if row is None:
                row = self._new_row(order)
                self.rows[order.id] = row
                self.loaded_events[order.id] = 0
                self.session.add(row)
            new_events = order.events[self.loaded_events[order.id] :]
            if not new_events:
                continue
            copy_order_to_row(order, row)
            row.updated_at = now
            self.loaded_events[order.id] = len(order.events)
            changed.append((row, new_events))
        await self.session.flush()  # order rows exist before events and fills reference them
        for row, new_events in changed:
            for sequence, event in enumerate(new_events, start=row.event_count + 1):
                self.session.add(
                    OrderEventRow(
                        order_id=row.id,
                        sequence=sequence,
                        time=event.time,
                        from_status=event.from_status.value if event.from_status else None,
                        to_status=event.to_status.value,
                        reason=event.reason[:500],
                        code=event.code,
                    )
                )
                if event.from_status is not event.to_status:
                    ORDERS.labels(event.to_status.value).inc()
            row.event_count += len(new_events)
        new_fills = self.account.fills[self.fills_loaded :]
        self._write_fills(new_fills, now)
        self._write_ledger(now)
        if new_fills:
            await self._write_positions({fill.symbol for fill in new_fills}, now)
            self.snapshot_equity()
        self.row.updated_at = now
        rows = [row for row, _ in changed]
        self._publish(rows)
        return rows

    def _new_row(self, order: Order) -> OrderRow:
        settings = self.runtime.settings
        feed = get_feed(self.runtime)
        expires = None
        if order.status is OrderStatus.PENDING_APPROVAL:
            expires = self.runtime.clock.now() + timedelta(minutes=settings.approval_expiry_minutes)
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
            created_at=order.created_at,
        )

    def _write_fills(self, fills: tuple[Fill, ...], now: object) -> None:
        for index, fill in enumerate(fills, start=self.fills_loaded + 1):
            self.session.add(
                FillRow(
                    id=fill.id,
                    order_id=fill.order_id,
                    account_id=fill.account_id,
                    epoch=self.row.epoch,
                    sequence=index,
                    symbol=fill.symbol,
                    side=fill.side.value,
                    quantity=fill.quantity,
                    price=fill.price,
                    commission=fill.commission,
                    time=fill.time,
                    recorded_at=now,
                )
            )
            FILLS.labels(fill.symbol, fill.side.value).inc()
        self.fills_loaded += len(fills)

    def _write_ledger(self, now: object) -> None:
        entries = self.account.ledger.entries[self.ledger_loaded :]
        for entry in entries:
            self.session.add(
                LedgerEntryRow(
                    account_id=self.account.id,
                    sequence=entry.sequence,
                    epoch=entry.epoch,
                    time=entry.time,
                    kind=entry.kind.value,
                    amount=entry.amount,
                    balance_after=entry.balance_after,
                    reference=entry.reference,
                    memo=entry.memo[:200],
                    recorded_at=now,
                )
            )
        self.ledger_loaded += len(entries)
        self.row.cash = self.account.cash
        self.row.ledger_length = len(self.account.ledger)

    async def _write_positions(self, symbols: set[str], now: object) -> None:
        for symbol in sorted(symbols):
            position = self.account.position(symbol)
            stored = await self.session.get(PositionRow, (self.account.id, self.row.epoch, symbol))
            if stored is None:
                stored = PositionRow(
                    account_id=self.account.id, epoch=self.row.epoch, symbol=symbol
                )
                self.session.add(stored)
            stored.quantity = position.quantity
            stored.average_cost = position.average_cost.quantize(COST_PLACES)
            stored.realized_pnl = position.realized_pnl.quantize(COST_PLACES)
            stored.commission_paid = position.commission_paid
            stored.updated_at = now  # type: ignore[assignment]

    def marks(self) -> dict[str, Decimal]:
        """Last traded price per symbol the account holds (average cost when never quoted)."""
        feed = get_feed(self.runtime)
        prices: dict[str, Decimal] = {}
        for symbol, position in self.account.positions.items():
            quote = feed.latest_quote(symbol)
            prices[symbol] = quote.last if quote is not None else position.average_cost
        return prices

    def snapshot_equity(self) -> None:
        """Record cash and equity now (market time of the feed; wall time before the first tick)."""
        feed = get_feed(self.runtime)
        now = self.runtime.clock.now()
        self.session.add(
            EquitySnapshot(
                account_id=self.account.id,
                epoch=self.row.epoch,
                time=feed.market_time or now,
                cash=self.account.cash,
                equity=to_money(self.account.equity(self.marks())),
                recorded_at=now,
            )
        )

    def _publish(self, changed: list[OrderRow]) -> None:
        pubsub = get_pubsub(self.runtime)
        user_id = self.row.user_id
        for row in changed:
            message = {
                "type": "order",
                "order": OrderOut.model_validate(row).model_dump(mode="json"),
            }
            publish_after_commit(self.session, pubsub, user_channel("orders", user_id), message)
        if changed:
            account = {
                "type": "account",
                "account": {
                    "id": self.account.id,
                    "cash": format(self.account.cash, "f"),
                    "buying_power": format(self.account.buying_power, "f"),
                    "equity": format(to_money(self.account.equity(self.marks())), "f"),
                    "epoch": self.row.epoch,
                },
            }
            publish_after_commit(self.session, pubsub, user_channel("accounts", user_id), account)


async def open_workspace(
    session: AsyncSession, runtime: Runtime, account_id: str, *, user_id: str | None = None
) -> Workspace | None:
    """Lock the account (optionally only if `user_id` owns it) and open its workspace."""
    row = await accounts_repo.lock_account(session, account_id, user_id=user_id)
    if row is None:
        return None
    today = runtime.clock.now().date()
    is_minor = await accounts_repo.owner_is_minor(session, row.user_id, today)
    return await Workspace.open(session, runtime, row, is_minor=is_minor)
