"""The engine loop: on every feed step, match resting orders and expire what is due.

Per step:
- working orders of the symbols just quoted that the quote would fill (or trigger) are matched,
  one account at a time, each in its own transaction holding the account's row lock; the size a
  fill takes off the touch is gone for the next account;
- when the replay enters a new trading day, open day orders of earlier days expire;
- pending approvals older than `KEEL_APPROVAL_EXPIRY_MINUTES` (wall time) expire.

Runs in the process that runs the feed (`--role all` or `engine`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

import structlog

from keel.domain.enums import OrderStatus
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine.fill_model import STOP_TYPES, is_marketable, is_triggered
from keel.server.db import session_scope
from keel.server.market.component import get_feed
from keel.server.orders import repository as orders_repo
from keel.server.orders.mapping import order_from_row
from keel.server.orders.models import OrderRow
from keel.server.orders.workspace import Workspace, open_workspace
from keel.server.runtime import Runtime, on_start

log = structlog.get_logger(__name__)

AccountAction = Callable[[Workspace], Awaitable[None]]


def _may_trade(row: OrderRow, quote: Quote) -> bool:
    """Cheap pre-filter: could `quote` fill this working order, or trigger its stop?"""
    order = order_from_row(row)
    if not is_triggered(order, quote):
        return False
    return is_marketable(order, quote) or (order.type in STOP_TYPES and order.triggered_at is None)


class TradingLoop:
    """Resting-order matching and expiry, driven by the market feed's steps."""

    def __init__(self, runtime: Runtime, market_date: date | None = None) -> None:
        self.runtime = runtime
        self._market_date = market_date

    async def on_step(self, quotes: list[Quote]) -> None:
        await self.match(quotes)
        feed = get_feed(self.runtime)
        if feed.market_date is not None and feed.market_date != self._market_date:
            if self._market_date is not None:
                await self.expire_day_orders(feed.market_date)
            self._market_date = feed.market_date
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
            rows = await orders_repo.working_orders_for(session, latest)
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
            by_account = _ids_by_account(await orders_repo.expired_day_orders(session, market_date))
        await self._expire(
            by_account, lambda order: order.is_open, "day order expired at the session end"
        )

    async def expire_approvals(self) -> None:
        """Expire pending approvals past their deadline (wall time)."""
        now = self.runtime.clock.now()
        async for session in session_scope(self.runtime.sessionmaker):
            by_account = _ids_by_account(await orders_repo.overdue_approvals(session, now))
        await self._expire(
            by_account,
            lambda order: order.status is OrderStatus.PENDING_APPROVAL,
            "no guardian approved the order in time",
        )

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


@on_start(order=30)
async def _start_trading(runtime: Runtime) -> None:
    if runtime.settings.role not in {"all", "engine"}:
        return
    feed = get_feed(runtime)
    loop = TradingLoop(runtime, feed.market_date)
    runtime.components["trading"] = loop
    feed.add_step_listener(loop.on_step)
