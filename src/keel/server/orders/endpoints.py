"""Orders: place, read (with events and fills), list with filters, cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from keel.domain.errors import DomainError
from keel.server import trading_runtime  # noqa: F401  (registers the engine loop)
from keel.server.auth.deps import CurrentUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.errors import ProblemError
from keel.server.lessons.moments import remember_refusal
from keel.server.orders import preview, service
from keel.server.orders.caller import AccessClaims
from keel.server.orders.desk import order_desk
from keel.server.orders.schemas import OrderDetailOut, OrderIn, OrderOut, OrderPreviewOut

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Place an order (a repeated client_order_id returns the original with 200)",
)
async def place_order(
    body: OrderIn, caller: AccessClaims, runtime: RuntimeDep, response: Response
) -> OrderOut:
    try:
        request = service.parse_request(runtime, body)
        order, created = await order_desk(runtime).place(caller, request)
    except (ProblemError, DomainError) as refused:
        await remember_refusal(runtime, caller.user_id, body, refused)
        raise
    if not created:
        response.status_code = status.HTTP_200_OK
    return order


@router.post(
    "/preview",
    summary="What placing this order now would do: cost, buying power after, regime, breakers "
    "and every rule that would refuse or cut it, at once (nothing is stored)",
)
async def preview_order(
    body: OrderIn, caller: AccessClaims, runtime: RuntimeDep, session: SessionDep
) -> OrderPreviewOut:
    request = service.parse_request(runtime, body)
    return await preview.preview_order(session, runtime, caller, request)


@router.get("", summary="The caller's orders, newest first")
async def list_orders(
    user: CurrentUser,
    session: SessionDep,
    account_id: str | None = None,
    status_: Annotated[list[str], Query(alias="status")] = [],  # noqa: B006
    symbol: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: datetime | None = None,
) -> list[OrderOut]:
    rows = await service.list_orders(
        session,
        user,
        account_id=account_id,
        statuses=status_,
        symbol=symbol,
        limit=limit,
        before=before,
    )
    return [OrderOut.model_validate(row) for row in rows]


@router.get("/{order_id}", summary="One order with its status history and fills")
async def get_order(order_id: str, user: CurrentUser, session: SessionDep) -> OrderDetailOut:
    return await service.get_order(session, user, order_id)


@router.delete("/{order_id}", summary="Cancel an open order")
async def cancel_order(
    order_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> OrderOut:
    row = await service.cancel_order(session, runtime, user, order_id)
    return OrderOut.model_validate(row)
