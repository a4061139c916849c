"""`/guardian/*`: invitations, links, per-minor limits and a read-only view of linked minors'
accounts. A guardian reaches only linked minors (404 for anyone else's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from keel.server.accounts.schemas import AccountOut, EquityPointOut, LedgerEntryOut, PositionOut
from keel.server.auth.deps import CurrentUser, GuardianUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.guardians import service
from keel.server.guardians.schemas import (
    InvitationOut,
    LimitsIn,
    LimitsOut,
    LinkOut,
    MinorOut,
    RedeemIn,
)
from keel.server.orders.schemas import OrderOut

router = APIRouter(prefix="/guardian", tags=["guardian"])


@router.post(
    "/invitations", status_code=status.HTTP_201_CREATED, summary="Create an invitation code"
)
async def create_invitation(
    guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> InvitationOut:
    return await service.create_invitation(session, guardian, now=runtime.clock.now())


@router.post(
    "/links", status_code=status.HTTP_201_CREATED, summary="A minor redeems an invitation code"
)
async def redeem(
    body: RedeemIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> LinkOut:
    return await service.redeem_invitation(session, user, body.code, now=runtime.clock.now())


@router.get("/links", summary="The caller's guardian link, as a minor")
async def my_links(user: CurrentUser, session: SessionDep) -> list[LinkOut]:
    return await service.my_links(session, user)


@router.get("/minors", summary="Minors linked to the calling guardian")
async def list_minors(
    guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> list[MinorOut]:
    return await service.list_minors(session, guardian, today=runtime.clock.now().date())


@router.get("/minors/{minor_id}/limits", summary="A linked minor's limits")
async def get_limits(minor_id: str, guardian: GuardianUser, session: SessionDep) -> LimitsOut:
    return await service.get_limits(session, guardian, minor_id)


@router.patch("/minors/{minor_id}/limits", summary="Change a linked minor's limits")
async def update_limits(
    minor_id: str, body: LimitsIn, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> LimitsOut:
    """Fields left out stay as they are."""
    return await service.update_limits(session, guardian, minor_id, body, now=runtime.clock.now())


@router.put("/minors/{minor_id}/limits", summary="Change a linked minor's limits (as PATCH)")
async def set_limits(
    minor_id: str, body: LimitsIn, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> LimitsOut:
    """Kept for earlier clients; like PATCH, fields left out stay as they are."""
    return await service.update_limits(session, guardian, minor_id, body, now=runtime.clock.now())


@router.delete(
    "/minors/{minor_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Unlink a minor"
)
async def unlink(
    minor_id: str, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> Response:
    await service.unlink(session, runtime, guardian, minor_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ----- a linked minor's accounts, read-only (a guardian never places or cancels for the minor) ---

MINOR_ACCOUNT = "/minors/{minor_id}/accounts/{account_id}"


@router.get("/minors/{minor_id}/accounts", summary="A linked minor's paper accounts")
async def minor_accounts(
    minor_id: str, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> list[AccountOut]:
    return await service.minor_accounts(session, runtime, guardian, minor_id)


@router.get(MINOR_ACCOUNT, summary="One account of a linked minor: cash, equity, positions, P&L")
async def minor_account(
    minor_id: str, account_id: str, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> AccountOut:
    return await service.minor_account(session, runtime, guardian, minor_id, account_id)


@router.get(MINOR_ACCOUNT + "/positions", summary="The positions of a linked minor's account")
async def minor_positions(
    minor_id: str, account_id: str, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> list[PositionOut]:
    account = await service.minor_account(session, runtime, guardian, minor_id, account_id)
    return account.positions


@router.get(MINOR_ACCOUNT + "/orders", summary="A linked minor's orders, newest first")
async def minor_orders(
    minor_id: str,
    account_id: str,
    guardian: GuardianUser,
    session: SessionDep,
    status_: Annotated[list[str], Query(alias="status")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: datetime | None = None,
) -> list[OrderOut]:
    rows = await service.minor_orders(
        session, guardian, minor_id, account_id, statuses=status_, limit=limit, before=before
    )
    return [OrderOut.model_validate(row) for row in rows]


@router.get(MINOR_ACCOUNT + "/ledger", summary="A linked minor's cash ledger, newest first")
async def minor_ledger(
    minor_id: str,
    account_id: str,
    guardian: GuardianUser,
    session: SessionDep,
    epoch: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before_sequence: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[LedgerEntryOut]:
    rows = await service.minor_ledger(
        session,
        guardian,
        minor_id,
        account_id,
        epoch=epoch,
        limit=limit,
        before_sequence=before_sequence,
    )
    return [LedgerEntryOut.model_validate(row) for row in rows]


@router.get(MINOR_ACCOUNT + "/equity", summary="A linked minor's equity history")
async def minor_equity(
    minor_id: str,
    account_id: str,
    guardian: GuardianUser,
    session: SessionDep,
    epoch: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[EquityPointOut]:
    rows = await service.minor_equity(
        session, guardian, minor_id, account_id, epoch=epoch, limit=limit
    )
    return [EquityPointOut.model_validate(row) for row in rows]
