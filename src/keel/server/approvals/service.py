"""Guardian approvals: list pending orders of linked minors, approve (gate re-run, 2FA when on) or
reject with a reason, one order or several in one 2FA step. Never commits.

A minor's order waits in market time: its deadline (`approval_expires_at`, set at placement to the
scenario's market time plus `KEEL_APPROVAL_EXPIRY_MINUTES`) is judged against the scenario's clock,
and its time in force starts when it is approved (`market_date` becomes the day of the approval,
so a day order approved weeks later is good for that day).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus
from keel.domain.errors import ApprovalExpired, DomainError, NotPendingApproval
from keel.server.approvals import repository
from keel.server.approvals.schemas import (
    DecisionIn,
    DecisionOut,
    DecisionProblemOut,
    PendingApprovalOut,
)
from keel.server.auth.models import User
from keel.server.auth.throttle import login_throttle
from keel.server.auth.twofactor import require_fresh_second_factor
from keel.server.errors import PROBLEM_TYPES, ProblemError, not_found, problem_type
from keel.server.guardians.service import guardians_of
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import OrderOut
from keel.server.orders.workspace import Workspace, open_workspace
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.realtime.payloads import approval_data
from keel.server.runtime import Runtime

APPROVE = "approve"
REJECT = "reject"


async def pending(session: AsyncSession, guardian: User) -> list[PendingApprovalOut]:
    return [
        PendingApprovalOut(
            minor_id=minor.id,
            minor_display_name=minor.display_name,
            order=OrderOut.model_validate(order),
        )
        for order, minor in await repository.pending_for_guardian(session, guardian.id)
    ]


async def notify_guardians(
    session: AsyncSession, runtime: Runtime, minor_id: str, order: OrderOut
) -> None:
    """Tell every guardian of the minor (WebSocket `notifications`) that an order awaits approval."""
    message = approval_data("approval_requested", order)
    for guardian in await guardians_of(session, minor_id):
        channel = user_channel("notifications", guardian.id)
        publish_after_commit(session, get_pubsub(runtime), channel, message)


@dataclass
class _Decider:
    """One guardian's decisions in one transaction, one workspace (account lock) per account."""

    session: AsyncSession
    runtime: Runtime
    guardian: User
    workspaces: dict[str, Workspace]

    async def pending_order(self, order_id: str) -> tuple[Workspace, OrderRow]:
        """The pending order of a linked minor, its account locked; a problem otherwise."""
        row = await repository.order_of_linked_minor(self.session, self.guardian.id, order_id)
        if row is None:
            raise not_found("order")
        workspace = self.workspaces.get(row.account_id)
        if workspace is None:
            workspace = await open_workspace(self.session, self.runtime, row.account_id)
            if workspace is None:
                raise not_found("order")
            self.workspaces[row.account_id] = workspace
        await self.session.refresh(row)
        if row.status != OrderStatus.PENDING_APPROVAL.value:
            raise NotPendingApproval(f"order {row.id} is {row.status}, not pending approval")
        expires = row.approval_expires_at
        if expires is not None and expires <= workspace.scenario.clock.now():
            raise ApprovalExpired(
                f"order {row.id} waited longer than its guardian may take to decide, so it expired"
            )
        return workspace, row

    async def approve(self, order_id: str) -> OrderRow:
        """The order meets the gate and buying power again now, then works from today (or is
        rejected, with the reason stored on the order)."""
        workspace, row = await self.pending_order(order_id)
        workspace.engine.approve(order_id)
        row.market_date = workspace.scenario.feed.market_date  # its time in force starts today
        await workspace.flush()
        self._tell_minor(row, "order_approved")
        return row

    async def reject(self, order_id: str, reason: str) -> OrderRow:
        workspace, row = await self.pending_order(order_id)
        workspace.engine.decline(order_id, f"rejected by guardian: {reason.strip()}")
        await workspace.flush()
        self._tell_minor(row, "order_rejected")
        return row

    def _tell_minor(self, row: OrderRow, kind: Literal["order_approved", "order_rejected"]) -> None:
        message = approval_data(kind, OrderOut.model_validate(row))
        channel = user_channel("notifications", row.user_id)
        publish_after_commit(self.session, get_pubsub(self.runtime), channel, message)


def problem_of(error: ProblemError | DomainError) -> DecisionProblemOut:
    """The problem one decision would have answered on its own (statuses from the one table)."""
    if isinstance(error, ProblemError):
        return DecisionProblemOut(
            type=problem_type(error.code), status=error.status, detail=error.detail
        )
    status = PROBLEM_TYPES.get(error.code, 422)
    return DecisionProblemOut(type=problem_type(error.code), status=status, detail=str(error))


def _decider(session: AsyncSession, runtime: Runtime, guardian: User) -> _Decider:
    return _Decider(session, runtime, guardian, {})


async def approve(
    session: AsyncSession, runtime: Runtime, guardian: User, order_id: str, code: str | None
) -> OrderRow:
    """Approve one order (2FA when the guardian has it on)."""
    decider = _decider(session, runtime, guardian)
    await decider.pending_order(order_id)  # 404 / 409 before spending a code
    await require_fresh_second_factor(
        session, login_throttle(runtime), guardian, code, now=runtime.clock.now()
    )
    return await decider.approve(order_id)


async def reject(
    session: AsyncSession, runtime: Runtime, guardian: User, order_id: str, reason: str
) -> OrderRow:
    return await _decider(session, runtime, guardian).reject(order_id, reason)


async def decide(
    session: AsyncSession,
    runtime: Runtime,
    guardian: User,
    decisions: Sequence[DecisionIn],
    code: str | None,
) -> list[DecisionOut]:
    """Approve and reject several orders in one 2FA step: the code is checked once, before any
    decision (a wrong code changes nothing); then each order gets its own result, in the order
    given (an order that is not found, not pending or expired does not stop the others)."""
    await require_fresh_second_factor(
        session, login_throttle(runtime), guardian, code, now=runtime.clock.now()
    )
    decider = _decider(session, runtime, guardian)
    results = []
    for decision in decisions:
        try:
            if decision.decision == APPROVE:
                row = await decider.approve(decision.order_id)
            else:
                row = await decider.reject(decision.order_id, decision.reason or "")
        except (ProblemError, DomainError) as error:
            results.append(
                DecisionOut(
                    order_id=decision.order_id,
                    decision=decision.decision,
                    applied=False,
                    problem=problem_of(error),
                )
            )
            continue
        results.append(
            DecisionOut(
                order_id=decision.order_id,
                decision=decision.decision,
                applied=True,
                order=OrderOut.model_validate(row),
            )
        )
    return results
