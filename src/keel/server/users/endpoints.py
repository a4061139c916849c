"""`/admin/users`: the admin's directory of people."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from keel.domain.enums import Role
from keel.server.auth.deps import AdminUser
from keel.server.auth.revocation import TOKENS_REVOKED_CHANNEL
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.pubsub import get_pubsub, publish_after_commit
from keel.server.users import service
from keel.server.users.schemas import AdminUserDetailOut, UserChangeIn, UserPageOut

router = APIRouter(prefix="/admin/users", tags=["admin"])


@router.get("", summary="Find users by name or email (admin)")
async def list_users(
    runtime: RuntimeDep,
    session: SessionDep,
    _: AdminUser,
    q: Annotated[str | None, Query(max_length=100, description="Part of a name or email")] = None,
    role: Role | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> UserPageOut:
    return await service.search(
        session,
        query=q.strip() if q else None,
        role=role.value if role else None,
        limit=limit,
        offset=offset,
        today=runtime.clock.now().date(),
    )


@router.get("/{user_id}", summary="One user with their accounts and guardian links (admin)")
async def get_user(
    user_id: str, runtime: RuntimeDep, session: SessionDep, _: AdminUser
) -> AdminUserDetailOut:
    return await service.detail(session, user_id, today=runtime.clock.now().date())


@router.patch("/{user_id}", summary="Switch a user's sign-in off or on (admin)")
async def change_user(
    user_id: str, body: UserChangeIn, runtime: RuntimeDep, session: SessionDep, admin: AdminUser
) -> AdminUserDetailOut:
    now = runtime.clock.now()
    user = await service.set_active(session, admin, user_id, body.active, now=now)
    if not body.active:
        message = {"user_id": user.id, "below_version": user.token_version}
        publish_after_commit(session, get_pubsub(runtime), TOKENS_REVOKED_CHANNEL, message)
    return await service.detail(session, user.id, today=now.date())
