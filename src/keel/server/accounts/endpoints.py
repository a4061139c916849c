"""Paper accounts: open, list, read (positions and P&L), ledger, equity history, reset."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse

from keel.server.account_requests import service as requests
from keel.server.account_requests.schemas import AccountRequestOut
from keel.server.accounts import service
from keel.server.accounts.schemas import (
    AccountIn,
    AccountOut,
    EquityPointOut,
    LedgerEntryOut,
    ResetIn,
)
from keel.server.auth.deps import CurrentUser
from keel.server.deps import RuntimeDep, SessionDep

router = APIRouter(prefix="/accounts", tags=["accounts"])

WAITS_FOR_GUARDIAN: dict[int | str, dict[str, Any]] = {
    202: {
        "model": AccountRequestOut,
        "description": "A minor's request, waiting for a guardian's consent (not done yet)",
    }
}


def _waiting(row: object) -> JSONResponse:
    body = AccountRequestOut.model_validate(row).model_dump(mode="json")
    return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountOut,
    responses=WAITS_FOR_GUARDIAN,
    summary="Open a paper account (a minor's waits for a guardian's consent: 202)",
)
async def open_account(
    body: AccountIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> AccountOut | JSONResponse:
    if user.is_minor_on(runtime.clock.now().date()):
        return _waiting(
            await requests.request_open(
                session, runtime, user, body.name, body.starting_cash, body.scenario_id
            )
        )
    workspace = await service.open_account(
        session, runtime, user, body.name, body.starting_cash, scenario_id=body.scenario_id
    )
    return service.describe(workspace)


@router.get("", summary="The caller's paper accounts")
async def list_accounts(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[AccountOut]:
    return await service.list_accounts(session, runtime, user)


@router.get("/{account_id}", summary="One account: cash, equity, positions and P&L")
async def get_account(
    account_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> AccountOut:
    return service.describe(await service.account_workspace(session, runtime, user, account_id))


@router.get("/{account_id}/ledger", summary="Cash ledger, newest first (all epochs by default)")
async def get_ledger(
    account_id: str,
    user: CurrentUser,
    session: SessionDep,
    epoch: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before_sequence: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[LedgerEntryOut]:
    rows = await service.ledger(
        session, user, account_id, epoch=epoch, limit=limit, before_sequence=before_sequence
    )
    return [LedgerEntryOut.model_validate(row) for row in rows]


@router.get("/{account_id}/equity", summary="Equity history (current epoch by default)")
async def get_equity(
    account_id: str,
    user: CurrentUser,
    session: SessionDep,
    epoch: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[EquityPointOut]:
    rows = await service.equity_history(session, user, account_id, epoch=epoch, limit=limit)
    return [EquityPointOut.model_validate(row) for row in rows]


@router.post(
    "/{account_id}/reset",
    response_model=AccountOut,
    responses=WAITS_FOR_GUARDIAN,
    summary="Start over: archive the history, fund afresh (a minor's waits for consent: 202)",
)
async def reset_account(
    account_id: str,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    body: ResetIn | None = None,
) -> AccountOut | JSONResponse:
    cash = body.starting_cash if body else None
    if user.is_minor_on(runtime.clock.now().date()):
        return _waiting(await requests.request_reset(session, runtime, user, account_id, cash))
    workspace = await service.reset_account(
        session, runtime, user, account_id, body.starting_cash if body else None
    )
    return service.describe(workspace)
