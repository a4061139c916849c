"""What an admin may do with a user: look them up, switch their sign-in off or on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Cohort
from keel.server.auth import repository as auth_repository
from keel.server.auth.models import User
from keel.server.errors import ProblemError, not_found
from keel.server.users import repository
from keel.server.users.schemas import (
    AdminAccountOut,
    AdminUserDetailOut,
    AdminUserOut,
    PersonOut,
    UserPageOut,
)


def _summary(user: User, accounts: int, today: date) -> AdminUserOut:
    return AdminUserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        minor=user.is_minor_on(today),
        active=user.is_active,
        two_factor=user.totp_enabled,
        cohort=Cohort(user.cohort),
        accounts=accounts,
        created_at=user.created_at,
    )


async def search(
    session: AsyncSession,
    *,
    query: str | None,
    role: str | None,
    limit: int,
    offset: int,
    today: date,
) -> UserPageOut:
    rows, total = await repository.page(session, query=query, role=role, limit=limit, offset=offset)
    return UserPageOut(items=[_summary(user, count, today) for user, count in rows], total=total)


async def detail(session: AsyncSession, user_id: str, *, today: date) -> AdminUserDetailOut:
    user = await repository.get(session, user_id)
    if user is None:
        raise not_found("user")
    accounts = await repository.accounts_of(session, user.id)
    guardians, minors = await repository.linked(session, user.id)
    return AdminUserDetailOut(
        **_summary(user, len(accounts), today).model_dump(),
        paper_accounts=[
            AdminAccountOut(
                id=account.id,
                name=account.name,
                scenario_id=account.scenario_id,
                cash=account.cash,
                starting_cash=account.starting_cash,
                created_at=account.created_at,
            )
            for account in accounts
        ],
        guardians=[PersonOut(id=g.id, display_name=g.display_name) for g in guardians],
        minors=[PersonOut(id=m.id, display_name=m.display_name) for m in minors],
    )


async def set_active(
    session: AsyncSession, admin: User, user_id: str, active: bool, *, now: datetime
) -> User:
    """Switch a user's sign-in on or off. Off ends every session at once: older access tokens
    fail their version check and refresh tokens are revoked; the caller publishes the revocation
    so open WebSockets close."""
    user = await repository.get(session, user_id)
    if user is None:
        raise not_found("user")
    if user.id == admin.id and not active:
        raise ProblemError(409, "own-access", "you cannot switch off your own sign-in")
    if user.is_active != active:
        user.is_active = active
        if not active:
            user.token_version += 1
            await auth_repository.revoke_all_refresh_tokens(session, user.id, now)
    return user
