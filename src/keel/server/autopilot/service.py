"""Use cases of autopilot: read it with its latest decisions, switch it on or off."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts import repository as accounts_repo
from keel.server.auth.models import User
from keel.server.autopilot import repository
from keel.server.autopilot.schemas import AutopilotDecisionOut, AutopilotOut
from keel.server.errors import not_found


async def describe(
    session: AsyncSession, user: User, account_id: str, limit: int = 50
) -> AutopilotOut:
    """Whether autopilot is on for the caller's account, and its latest decisions."""
    account = await accounts_repo.get_account(session, account_id, user.id)
    if account is None:
        raise not_found("account")
    rows = await repository.recent_decisions(session, account.id, limit)
    return AutopilotOut(
        account_id=account.id,
        enabled=account.autopilot,
        decisions=[AutopilotDecisionOut.model_validate(row) for row in rows],
    )


async def switch(session: AsyncSession, user: User, account_id: str, enabled: bool) -> AutopilotOut:
    """Turn autopilot on or off for the caller's account (it acts from the next market day)."""
    account = await accounts_repo.get_account(session, account_id, user.id)
    if account is None:
        raise not_found("account")
    account.autopilot = enabled
    await session.flush()
    return await describe(session, user, account_id)
