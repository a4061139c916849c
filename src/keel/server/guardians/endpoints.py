"""`/guardian/*`: invitations, links and per-minor limits. A guardian reaches only linked minors."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

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
