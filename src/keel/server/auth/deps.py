"""Who is calling: `CurrentUser`, `GuardianUser`, `AdminUser` as `Annotated` dependencies.

The access token comes from `Authorization: Bearer …`; anything missing, forged, expired, revoked by
a logout or issued before the user's last password change is a 401 problem+json. The user row is
loaded through the request's session, so routes get a live ORM `User`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from keel.domain.enums import Role
from keel.server.auth.models import User
from keel.server.auth.revocation import access_denylist, checked_access
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


PASSWORD_CHANGE_ROUTES = ("/api/v1/auth/password", "/api/v1/me")
"""What a user whose password must change may call: change it, and read their own profile."""


async def get_current_user(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    credentials: BearerCredentials,
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send an access token as `Authorization: Bearer <token>`")
    user = await user_from_access_token(
        session,
        runtime.settings,
        access_denylist(runtime),
        credentials.credentials,
        now=runtime.clock.now(),
        checked=checked_access(request.scope),
    )
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_ROUTES:
        raise ProblemError(
            403,
            "password-change-required",
            "Your teacher gave you a one-time password. Choose your own password first "
            "(POST /api/v1/auth/password), then carry on.",
        )
    return user


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


async def get_teacher_user(user: CurrentUser) -> User:
    if user.role not in (Role.TEACHER.value, Role.ADMIN.value):
        raise ProblemError(403, "teacher-only", "only a teacher (or an administrator) can do this")
    return user


TeacherUser = Annotated[User, Depends(get_teacher_user)]
"""A teacher, or an admin (who may do anything a teacher does, for any class)."""
