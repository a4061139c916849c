"""Minors' rules checked when a minor places an order (before it waits for a guardian)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.order_requests import OrderRequest
from keel.server.orders.workspace import Workspace
from keel.server.runtime import Runtime


async def check_minor_order(
    session: AsyncSession, runtime: Runtime, workspace: Workspace, request: OrderRequest
) -> None:
    """Refuse what a minor may never do (the guardian's per-order notional limit)."""
    return None
