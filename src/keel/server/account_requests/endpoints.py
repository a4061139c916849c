"""`/account-requests` (a minor's own) and `/guardian/account-requests` (a guardian's queue):
opening or resetting a minor's account waits for a guardian's consent."""

from __future__ import annotations

from fastapi import APIRouter, status

from keel.server.account_requests import service
from keel.server.account_requests.schemas import (
    AccountDecisionsIn,
    AccountDecisionsOut,
    AccountRequestOut,
    MinorAccountIn,
    PendingAccountRequestOut,
)
from keel.server.accounts import service as accounts
from keel.server.accounts.schemas import AccountOut
from keel.server.auth.deps import CurrentUser, GuardianUser
from keel.server.deps import RuntimeDep, SessionDep

router = APIRouter(tags=["accounts"])


@router.get("/account-requests", summary="Your requests to open or reset an account (minors)")
async def my_requests(user: CurrentUser, session: SessionDep) -> list[AccountRequestOut]:
    return await service.my_requests(session, user)


@router.get(
    "/guardian/account-requests",
    tags=["guardian"],
    summary="Linked minors' requests to open or reset an account, waiting for consent",
)
async def list_account_requests(
    guardian: GuardianUser, session: SessionDep
) -> list[PendingAccountRequestOut]:
    return await service.pending(session, guardian)


@router.post(
    "/guardian/account-requests/decisions",
    tags=["guardian"],
    summary="Approve and reject account requests with one 2FA code",
)
async def decide_account_requests(
    body: AccountDecisionsIn, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> AccountDecisionsOut:
    """The code is checked once, before any decision: a wrong code changes nothing. An approved
    request opens (or resets) the account at once."""
    results = await service.decide(session, runtime, guardian, body.decisions, body.code)
    return AccountDecisionsOut(results=results)


@router.post(
    "/guardian/minors/{minor_id}/accounts",
    tags=["guardian"],
    status_code=status.HTTP_201_CREATED,
    summary="Open a paper account for a linked minor",
)
async def open_minor_account(
    minor_id: str,
    body: MinorAccountIn,
    guardian: GuardianUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> AccountOut:
    workspace = await service.open_for_minor(session, runtime, guardian, minor_id, body)
    return accounts.describe(workspace)
