"""Guardian approvals: list pending orders of linked minors, approve (gate re-run, 2FA when on)
or reject with a reason. Never commits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus
from keel.server.approvals import repository
from keel.server.approvals.schemas import PendingApprovalOut
from keel.server.auth.models import User
from keel.server.auth.twofactor import require_fresh_second_factor
from keel.server.errors import ProblemError, not_found
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import OrderOut
from keel.server.orders.workspace import Workspace, open_workspace
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.runtime import Runtime


async def pending(session: AsyncSession, guardian: User) -> list[PendingApprovalOut]:
    return [
        PendingApprovalOut(
            minor_id=minor.id,
            minor_display_name=minor.display_name,
            order=OrderOut.model_validate(order),
        )
        for order, minor in await repository.pending_for_guardian(session, guardian.id)
    ]


async def _pending_workspace(
    session: AsyncSession, runtime: Runtime, guardian: User, order_id: str
) -> tuple[Workspace, OrderRow]:
    row = await repository.order_of_linked_minor(session, guardian.id, order_id)
    if row is None:
        raise not_found("order")
    workspace = await open_workspace(session, runtime, row.account_id)
    if workspace is None:
        raise not_found("order")
    await session.refresh(row)
    if row.status != OrderStatus.PENDING_APPROVAL.value:
        raise ProblemError(
            409, "not-pending-approval", f"order {row.id} is {row.status}, not pending approval"
        )
    expires = row.approval_expires_at
    if expires is not None and expires <= workspace.scenario.clock.now():
        raise ProblemError(
            409, "approval-expired", f"the approval window of order {row.id} has passed"
        )
    return workspace, row


def _tell_minor(session: AsyncSession, runtime: Runtime, row: OrderRow, kind: str) -> None:
    message = {"type": kind, "order": OrderOut.model_validate(row).model_dump(mode="json")}
    channel = user_channel("notifications", row.user_id)
    publish_after_commit(session, get_pubsub(runtime), channel, message)


async def approve(
    session: AsyncSession, runtime: Runtime, guardian: User, order_id: str, code: str | None
) -> OrderRow:
    """Approve: the order meets the gate and buying power again now, then works (or is
    rejected, with the reason stored on the order)."""
    workspace, row = await _pending_workspace(session, runtime, guardian, order_id)
    await require_fresh_second_factor(session, guardian, code, now=runtime.clock.now())
    workspace.engine.approve(order_id)
    await workspace.flush()
    _tell_minor(session, runtime, row, "order_approved")
    return row


async def reject(
    session: AsyncSession, runtime: Runtime, guardian: User, order_id: str, reason: str
) -> OrderRow:
    workspace, row = await _pending_workspace(session, runtime, guardian, order_id)
    workspace.engine.decline(order_id, f"rejected by guardian: {reason.strip()}")
    await workspace.flush()
    _tell_minor(session, runtime, row, "order_rejected")
    return row
