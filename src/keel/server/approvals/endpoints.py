"""`/guardian/approvals`: a guardian's queue of minors' orders waiting for a decision."""

from __future__ import annotations

from fastapi import APIRouter

from keel.server.approvals import service
from keel.server.approvals.schemas import (
    ApproveIn,
    DecisionsIn,
    DecisionsOut,
    PendingApprovalOut,
    RejectIn,
)
from keel.server.auth.deps import GuardianUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.orders.schemas import OrderOut

router = APIRouter(prefix="/guardian/approvals", tags=["guardian"])


@router.get("", summary="Orders of linked minors waiting for approval")
async def list_pending(guardian: GuardianUser, session: SessionDep) -> list[PendingApprovalOut]:
    return await service.pending(session, guardian)


@router.post("/decisions", summary="Approve and reject several orders with one 2FA code")
async def decide(
    body: DecisionsIn, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> DecisionsOut:
    """The code is checked once, before any decision: a wrong code changes nothing. Then each
    order gets its own result (an order not found, no longer pending or expired is reported and
    does not stop the others)."""
    results = await service.decide(session, runtime, guardian, body.decisions, body.code)
    return DecisionsOut(results=results)


@router.post("/{order_id}/approve", summary="Approve (the order meets the gate again now)")
async def approve(
    order_id: str,
    guardian: GuardianUser,
    session: SessionDep,
    runtime: RuntimeDep,
    body: ApproveIn | None = None,
) -> OrderOut:
    row = await service.approve(session, runtime, guardian, order_id, body.code if body else None)
    return OrderOut.model_validate(row)


@router.post("/{order_id}/reject", summary="Reject, with a reason the minor sees")
async def reject(
    order_id: str, body: RejectIn, guardian: GuardianUser, session: SessionDep, runtime: RuntimeDep
) -> OrderOut:
    row = await service.reject(session, runtime, guardian, order_id, body.reason)
    return OrderOut.model_validate(row)
