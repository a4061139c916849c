"""SQL of approvals: pending orders of the minors linked to a guardian."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import OrderStatus
from keel.server.auth.models import User
from keel.server.guardians.models import GuardianLink
from keel.server.orders.models import OrderRow


async def pending_for_guardian(
    session: AsyncSession, guardian_id: str
) -> Sequence[tuple[OrderRow, User]]:
    query = (
        select(OrderRow, User)
        .join(GuardianLink, GuardianLink.minor_id == OrderRow.user_id)
        .join(User, User.id == OrderRow.user_id)
        .where(
            GuardianLink.guardian_id == guardian_id,
            OrderRow.status == OrderStatus.PENDING_APPROVAL.value,
        )
        .order_by(OrderRow.created_at, OrderRow.id)
    )
    return [(order, user) for order, user in (await session.execute(query)).all()]


async def order_of_linked_minor(
    session: AsyncSession, guardian_id: str, order_id: str
) -> OrderRow | None:
    """The order if its owner is a minor linked to `guardian_id` (else None: 404 to the caller)."""
    query = (
        select(OrderRow)
        .join(GuardianLink, GuardianLink.minor_id == OrderRow.user_id)
        .where(OrderRow.id == order_id, GuardianLink.guardian_id == guardian_id)
    )
    return (await session.execute(query)).scalar_one_or_none()
