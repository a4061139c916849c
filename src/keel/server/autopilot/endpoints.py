"""Autopilot of a paper account: read it (with its decisions), switch it on or off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from keel.server.auth.deps import CurrentUser
from keel.server.autopilot import service
from keel.server.autopilot.schemas import AutopilotIn, AutopilotOut
from keel.server.deps import SessionDep

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get(
    "/{account_id}/autopilot",
    summary="Autopilot: whether it trades the model's signals for the account, and its decisions",
)
async def get_autopilot(
    account_id: str,
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AutopilotOut:
    return await service.describe(session, user, account_id, limit)


@router.put("/{account_id}/autopilot", summary="Switch autopilot on or off")
async def put_autopilot(
    account_id: str, body: AutopilotIn, user: CurrentUser, session: SessionDep
) -> AutopilotOut:
    return await service.switch(session, user, account_id, body.enabled)
