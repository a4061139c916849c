"""Who is calling: `CurrentUser`, `GuardianUser`, `AdminUser` as `Annotated` dependencies.

The access token comes from `Authorization: Bearer …`; anything missing, forged, expired, revoked by
a logout or issued before the user's last password change is a 401 problem+json. The user row is
loaded through the request's session, so routes get a live ORM `User`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from keel.domain.enums import Role
from keel.server.auth.models import User
from keel.server.auth.revocation import access_denylist
from keel.server.auth.service import user_from_access_token
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.errors import ProblemError

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login")

BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
"""The `Authorization: Bearer …` credentials, or None: for routes where the token is optional."""


def unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="keel"'}
    )


async def get_current_user(
    session: SessionDep,
    runtime: RuntimeDep,
    credentials: BearerCredentials,
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send an access token as `Authorization: Bearer <token>`")
    return await user_from_access_token(
        session,
        runtime.settings,
        access_denylist(runtime),
        credentials.credentials,
        now=runtime.clock.now(),
    )


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_guardian_user(user: CurrentUser) -> User:
    if user.role != Role.GUARDIAN.value:
        raise ProblemError(403, "guardian-only", "only a guardian account can do this")
    return user


GuardianUser = Annotated[User, Depends(get_guardian_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if user.role != Role.ADMIN.value:
        raise ProblemError(403, "admin-only", "only an administrator can do this")
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
