"""Minors' rules checked when a minor places an order, before it waits for a guardian.

A minor needs a linked guardian, the guardian must not have paused trading, and the order's
estimated value must stay within the guardian's per-order notional limit. (No shorting is enforced
by the domain `Account` of a minor.)
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.engine.sizing import estimate
from keel.server.errors import ProblemError
from keel.server.guardians.service import guardian_of, minor_limits
from keel.server.orders.schemas import OrderOut
from keel.server.orders.workspace import Workspace
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.runtime import Runtime


async def check_minor_order(
    session: AsyncSession, runtime: Runtime, workspace: Workspace, request: OrderRequest
) -> None:
    """Refuse a minor's order that no guardian could approve (422 problem+json)."""
    minor_id = workspace.row.user_id
    if await guardian_of(session, minor_id) is None:
        raise ProblemError(
            422,
            "guardian-required",
            "orders of a minor wait for a guardian's approval: link a guardian first",
        )
    limits = await minor_limits(session, minor_id)
    if limits.trading_paused:
        raise ProblemError(422, "trading-paused", "your guardian has paused trading")
    if limits.max_order_notional is not None:
        draft = Order.draft(request, order_id=str(uuid.uuid4()), time=runtime.clock.now())
        quote = workspace.engine.last_quote(request.symbol)
        planned = estimate(draft, quote, workspace.engine.config)
        if planned.notional > limits.max_order_notional:
            raise ProblemError(
                422,
                "over-guardian-limit",
                f"the order is worth about {planned.notional}, above the "
                f"{limits.max_order_notional} per order your guardian allows",
                limit=str(limits.max_order_notional),
            )


async def notify_guardian(
    session: AsyncSession, runtime: Runtime, minor_id: str, order: OrderOut
) -> None:
    """Tell the minor's guardian (WebSocket `notifications`) that an order awaits approval."""
    guardian = await guardian_of(session, minor_id)
    if guardian is None:
        return
    message = {"type": "approval_requested", "order": order.model_dump(mode="json")}
    channel = user_channel("notifications", guardian.id)
    publish_after_commit(session, get_pubsub(runtime), channel, message)
