"""Use cases of orders: place (idempotent by `client_order_id`), read, list, cancel.

Never commits: the caller's session commits once. Every money-moving step runs in a `Workspace`
holding the account's row lock, so concurrent orders on one account queue up instead of racing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus
from keel.domain.errors import OrderNotCancellable
from keel.domain.gate import GateDecision
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.server.accounts import repository as accounts_repo
from keel.server.auth import repository as auth_repo
from keel.server.auth.deps import unauthorized
from keel.server.auth.models import User
from keel.server.auth.tokens import TokenClaims
from keel.server.errors import ProblemError, not_found
from keel.server.lessons.links import lesson_url
from keel.server.market.component import market_data
from keel.server.market.tradability import untradable_reason
from keel.server.orders import repository
from keel.server.orders.caller import STALE_TOKEN
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import (
    FillOut,
    OrderDetailOut,
    OrderEventOut,
    OrderIn,
    OrderOut,
)
from keel.server.orders.workspace import Workspace, open_locked, open_workspace
from keel.server.runtime import Runtime


def refusal(order: Order, decision: GateDecision | None) -> ProblemError:
    """The problem+json for an order refused at placement (or approval): what, why, until when."""
    event = order.events[-1] if order.events else None
    reason = event.reason if event else "The order was refused."
    code = order.rejection_code or "order-rejected"
    extra: dict[str, Any] = {"order_status": order.status.value}
    if event is not None and event.figures:
        extra["figures"] = dict(event.figures)
    if decision is not None and not decision.allowed and decision.code == code:
        extra.update(
            breaker=decision.breaker,
            permission=decision.permission.name,
            reopen_at=decision.reopen_at.isoformat() if decision.reopen_at else None,
            figures=dict(decision.figures or {}),
        )
    lesson = (extra.get("figures") or {}).get("lesson")
    if isinstance(lesson, str):  # a refusal naming its own lesson (a feature locked behind one)
        extra["lesson"] = lesson_url(lesson)
    return ProblemError(422, code, reason, title="The order was refused", **extra)


def parse_request(runtime: Runtime, body: OrderIn) -> OrderRequest:
    """Validate the body with the domain's rules; symbols no market trades are refused (whether
    the account's market trades it is judged when the order meets its scenario)."""
    symbol = body.symbol.strip().upper()
    data = market_data(runtime)
    scenarios = runtime.scenarios.values()
    # A scenario's own series (uploaded) are not in the shared store.
    if symbol not in data.tradable and not any(s.feed.is_tradable(symbol) for s in scenarios):
        item = next((i for i in data.instruments if i.symbol == symbol), None)
        refused = untradable_reason(item, symbol) or "This instrument cannot be traded here."
        raise ProblemError(422, "unknown-symbol", refused, figures={"symbol": symbol})
    return OrderRequest.parse(
        account_id=body.account_id,
        symbol=symbol,
        side=body.side,
        type=body.type,
        quantity=body.quantity,
        notional=body.notional,
        limit_price=body.limit_price,
        stop_price=body.stop_price,
        time_in_force=body.time_in_force,
        client_order_id=body.client_order_id,
    )


async def lock_callers_account(
    session: AsyncSession, caller: TokenClaims, account_id: str
) -> accounts_repo.LockedAccount:
    """Lock the account of the holder of `caller` with its owner's token version: a revoked token
    gets 401, someone else's (or an unknown) account 404."""
    locked = await accounts_repo.lock_account_with_owner(
        session, account_id, user_id=caller.user_id
    )
    if locked is None:
        # Rare path: tell a revoked token (401) from an account that is not the caller's (404).
        user = await auth_repo.get_user(session, caller.user_id)
        if user is None or not user.is_active or user.token_version != caller.version:
            raise unauthorized(STALE_TOKEN)
        raise not_found("account")
    if not locked.owner_active or locked.owner_token_version != caller.version:
        raise unauthorized(STALE_TOKEN)
    return locked


async def place_order(
    session: AsyncSession, runtime: Runtime, caller: TokenClaims, request: OrderRequest
) -> tuple[OrderRow, bool]:
    """Place an order (validated by `parse_request`) for the holder of the access token `caller`
    in `session`'s transaction; returns its row and whether it was created (False: a repeated
    `client_order_id`, the original is returned unchanged). The API places orders through
    `keel.server.orders.desk`, which batches them and falls back to this for the rare cases.

    The account is locked together with its owner's token version: a revoked token gets 401,
    someone else's (or an unknown) account 404."""
    locked = await lock_callers_account(session, caller, request.account_id)
    if request.client_order_id is not None:
        existing = await repository.by_client_order_id(
            session, request.account_id, request.client_order_id
        )
        if existing is not None:
            return existing, False
    workspace = await open_locked(session, runtime, locked)
    return await place_in(workspace, request), True


async def place_in(workspace: Workspace, request: OrderRequest) -> OrderRow:
    """Place `request` in the locked account's workspace: the one path a person's single order
    and autopilot's take (the desk batches adults' orders through the same engine and gate).
    A refusal raises its problem and stores nothing; a minor's order waits for a guardian, who
    is told. New orders carry `workspace.origin`."""
    if (problem := workspace.untradable(request.symbol)) is not None:
        raise problem
    # A minor's order waits for a guardian; the order gate judges the minors' rules.
    needs_approval = workspace.account.is_minor
    placement = workspace.engine.place(request, needs_approval=needs_approval)
    order = placement.order
    if order.status is OrderStatus.REJECTED:
        raise refusal(order, workspace.gate.last_refusal)
    await workspace.flush()
    row = workspace.rows[order.id]
    if order.status is OrderStatus.PENDING_APPROVAL:
        from keel.server.approvals.service import notify_guardians

        await notify_guardians(
            workspace.session, workspace.runtime, row.user_id, OrderOut.model_validate(row)
        )
    return row


async def get_order(session: AsyncSession, user: User, order_id: str) -> OrderDetailOut:
    row = await repository.get_order(session, order_id, user.id)
    if row is None:
        raise not_found("order")
    return await detail(session, row)


async def detail(session: AsyncSession, row: OrderRow) -> OrderDetailOut:
    events = await repository.events(session, row.id)
    fills = await repository.order_fills(session, row.id)
    return OrderDetailOut(
        **OrderOut.model_validate(row).model_dump(),
        events=[OrderEventOut.model_validate(e) for e in events],
        fills=[FillOut.model_validate(f) for f in fills],
    )


async def list_orders(
    session: AsyncSession,
    user: User,
    *,
    account_id: str | None,
    statuses: list[str],
    symbol: str | None,
    limit: int,
    before: datetime | None,
) -> Sequence[OrderRow]:
    allowed = {status.value for status in OrderStatus}
    unknown = [s for s in statuses if s not in allowed]
    if unknown:
        raise ProblemError(
            422, "validation-error", f"unknown status {unknown[0]!r}; use one of {sorted(allowed)}"
        )
    return await repository.list_orders(
        session,
        user.id,
        account_id=account_id,
        statuses=statuses,
        symbol=symbol.strip().upper() if symbol else None,
        limit=limit,
        before=before,
    )


async def cancel_order(
    session: AsyncSession, runtime: Runtime, user: User, order_id: str
) -> OrderRow:
    """Cancel an open order of the caller; 409 when it is already filled, cancelled, …"""
    row = await repository.get_order(session, order_id, user.id)
    if row is None:
        raise not_found("order")
    workspace = await open_workspace(session, runtime, row.account_id, user_id=user.id)
    if workspace is None:
        raise not_found("order")
    await session.refresh(row)
    if OrderStatus(row.status).is_terminal:
        raise OrderNotCancellable(
            f"This order is already {row.status.replace('_', ' ')}, so there is nothing left "
            "to cancel."
        )
    workspace.engine.cancel(row.id)
    await workspace.flush()
    return workspace.rows[row.id]
