"""The engine loop: on every feed step, match resting orders and expire what is due.

One loop per scenario, on its feed's steps and its market time:
- working orders of the scenario's accounts in the symbols just quoted that the quote would fill
  (or trigger) are matched, one account at a time, each in its own transaction holding the
  account's row lock; the size a fill takes off the touch is gone for the next account;
- at each day's close every account of the scenario gets an equity point (cash plus positions at
  the closing prices), so equity history has one point per market day, not only at fills;
- when the replay enters a new trading day, open day orders of earlier days expire;
- pending approvals older than `KEEL_APPROVAL_EXPIRY_MINUTES` of market time expire (looked at
  every 30 minutes of market time).

Runs in the process that runs the feed (`--role all` or `engine`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

import structlog
from sqlalchemy import Table, insert

from keel.domain.enums import OrderStatus, Regime
from keel.domain.money import to_money
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine.fill_model import STOP_TYPES, is_marketable, is_triggered
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts.models import EquitySnapshot
from keel.server.classes.board import publish_leaderboards
from keel.server.classes.figures import fold_close
from keel.server.db import session_scope
from keel.server.orders import repository as orders_repo
from keel.server.orders.mapping import order_from_row
from keel.server.orders.models import OrderRow
from keel.server.orders.workspace import Workspace, open_workspace
from keel.server.runtime import Runtime
from keel.server.scenarios.live import LiveScenario

log = structlog.get_logger(__name__)

ZERO = Decimal(0)
APPROVAL_CHECK_EVERY = timedelta(minutes=30)
"""Pending approvals are looked at this often in market time (not on every tick: one query less
per step and scenario); an approval window ends within this much of its deadline."""

AccountAction = Callable[[Workspace], Awaitable[None]]


def _may_trade(row: OrderRow, quote: Quote) -> bool:
    """Cheap pre-filter: could `quote` fill this working order, or trigger its stop?"""
    order = order_from_row(row)
    if not is_triggered(order, quote):
        return False
    return is_marketable(order, quote) or (order.type in STOP_TYPES and order.triggered_at is None)


class TradingLoop:
    """Resting-order matching and expiry, driven by the market feed's steps."""

    def __init__(self, runtime: Runtime, live: LiveScenario) -> None:
        self.runtime = runtime
        self.live = live
        self._market_date = live.feed.market_date
        self._approvals_checked: datetime | None = None

    async def on_step(self, quotes: list[Quote]) -> None:
        await self.match(quotes)
        feed = self.live.feed
        if feed.completed_bars:
            await self.record_closing_equity()
        if feed.market_date is not None and feed.market_date != self._market_date:
            if self._market_date is not None:
                await self.expire_day_orders(feed.market_date)
            self._market_date = feed.market_date
        now = self.live.clock.now()
        checked = self._approvals_checked
        if checked is None or now - checked >= APPROVAL_CHECK_EVERY:
            self._approvals_checked = now
            await self.expire_approvals()

    async def _for_account(self, account_id: str, action: AccountAction) -> None:
        try:
            async for session in session_scope(self.runtime.sessionmaker):
                workspace = await open_workspace(session, self.runtime, account_id)
                if workspace is not None:
                    await action(workspace)
                    await workspace.flush()
        except Exception:
            log.exception("engine step failed for an account", account_id=account_id)

    async def match(self, quotes: list[Quote]) -> None:
        """Match working orders against `quotes`, oldest order first, account by account."""
        if not quotes:
            return
        latest = {quote.symbol: quote for quote in quotes}
        async for session in session_scope(self.runtime.sessionmaker):
            rows = await orders_repo.working_orders_for(session, self.live.id, latest)
            candidates: dict[str, set[str]] = defaultdict(set)
            for row in rows:
                if _may_trade(row, latest[row.symbol]):
                    candidates[row.account_id].add(row.symbol)
        for account_id, symbols in candidates.items():

            async def run(workspace: Workspace, symbols: set[str] = symbols) -> None:
                for symbol in sorted(symbols):
                    workspace.engine.on_quote(latest[symbol])
                    left = workspace.engine.last_quote(symbol)
                    if left is not None:
                        latest[symbol] = left  # liquidity taken is gone for the next account

            await self._for_account(account_id, run)

    async def expire_day_orders(self, market_date: date) -> None:
        """Expire open day orders placed before `market_date` (the session they were for ended)."""
        async for session in session_scope(self.runtime.sessionmaker):
            rows = await orders_repo.expired_day_orders(session, self.live.id, market_date)
            by_account = _ids_by_account(rows)
        await self._expire(
            by_account, lambda order: order.is_open, "day order expired at the session end"
        )

    async def expire_approvals(self) -> None:
        """Expire pending approvals past their deadline (the scenario's market time)."""
        now = self.live.clock.now()
        async for session in session_scope(self.runtime.sessionmaker):
            rows = await orders_repo.overdue_approvals(session, self.live.id, now)
            by_account = _ids_by_account(rows)
        await self._expire(
            by_account,
            lambda order: order.status is OrderStatus.PENDING_APPROVAL,
            "no guardian approved the order in time",
        )

    async def record_closing_equity(self) -> None:
        """One equity point per account of the scenario at the day's close (market time),
        written in one INSERT; the accounts of a class fold it into their running figures, and
        the classes' leaderboards are published."""
        feed = self.live.feed
        at = self.live.clock.now()
        recorded_at = self.runtime.clock.now()
        closes = {symbol: quote.last for symbol, quote in feed.latest_quotes().items()}
        try:
            async for session in session_scope(self.runtime.sessionmaker):
                holdings = await accounts_repo.scenario_holdings(session, self.live.id)
                equity = {
                    item.account_id: to_money(
                        item.cash
                        + sum(
                            (q * closes[s] for s, q in item.quantities.items() if s in closes),
                            ZERO,
                        )
                    )
                    for item in holdings
                }
                points = [
                    {
                        "account_id": item.account_id,
                        "epoch": item.epoch,
                        "time": at,
                        "cash": item.cash,
                        "equity": equity[item.account_id],
                        "recorded_at": recorded_at,
                    }
                    for item in holdings
                ]
                if points:
                    await session.execute(insert(cast(Table, EquitySnapshot.__table__)), points)
                # The close folds into the running figures of the accounts of a class.
                day = feed.market_date
                in_classes = day is not None and await fold_close(
                    session, self.live.id, day, self.index_regime(), equity, now=recorded_at
                )
        except Exception:
            log.exception("closing equity failed", scenario_id=self.live.id)
            return
        if in_classes:  # each class of this market gets its new leaderboard
            await publish_leaderboards(self.runtime, self.live.id)

    def index_regime(self) -> Regime | None:
        """The market index's regime as classified at the latest close (None: not tracked)."""
        risk = self.live.risk
        tracker = None if risk is None else risk.trackers.get(risk.index_symbol)
        return None if tracker is None else tracker.reading.regime

    async def _expire(
        self, by_account: dict[str, list[str]], still_due: Callable[[Order], bool], reason: str
    ) -> None:
        """Expire, account by account, the listed orders that are `still_due` under the lock."""
        for account_id, order_ids in by_account.items():

            async def run(workspace: Workspace, order_ids: list[str] = order_ids) -> None:
                for order_id in order_ids:
                    if still_due(workspace.engine.order(order_id)):
                        workspace.engine.expire(order_id, reason)

            await self._for_account(account_id, run)


def _ids_by_account(rows: Sequence[OrderRow]) -> dict[str, list[str]]:
    """Order ids grouped by account, read while the rows' session is open."""
    by_account: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_account[row.account_id].append(row.id)
    return by_account


def attach_trading(runtime: Runtime, live: LiveScenario) -> TradingLoop:
    """The scenario's engine loop, run after its risk runtime on every step of its feed."""
    loop = TradingLoop(runtime, live)
    live.trading = loop
    live.feed.add_step_listener(loop.on_step)
    return loop
