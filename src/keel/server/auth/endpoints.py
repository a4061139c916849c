"""`/auth/*` and `/me`: thin HTTP adapters over `service` and `twofactor`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from fastapi.responses import JSONResponse

from keel.domain.enums import Role
from keel.server.auth import service, twofactor
from keel.server.auth.deps import CurrentUser
from keel.server.auth.revocation import TOKENS_REVOKED_CHANNEL, access_denylist
from keel.server.auth.schemas import (
    CodeIn,
    LoginIn,
    LoginTwoFactorIn,
    PasswordChangeIn,
    RecoveryCodesOut,
    RefreshIn,
    RegisterIn,
    TokenPairOut,
    TotpEnrolmentOut,
    TwoFactorChallengeOut,
    TwoFactorEnabledOut,
    UserOut,
)
from keel.server.auth.throttle import LoginThrottle, login_throttle
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.errors import problem_response
from keel.server.pubsub import get_pubsub, publish_after_commit

router = APIRouter(prefix="/auth", tags=["auth"])
me_router = APIRouter(tags=["me"])


def _throttle(runtime: RuntimeDep) -> LoginThrottle:
    return login_throttle(runtime)


ThrottleDep = Annotated[LoginThrottle, Depends(_throttle)]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/register", status_code=status.HTTP_201_CREATED, summary="Create an account")
async def register(body: RegisterIn, session: SessionDep, runtime: RuntimeDep) -> UserOut:
    now = runtime.clock.now()
    user = await service.create_user(
        session,
        runtime.settings,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        date_of_birth=body.date_of_birth,
        role=Role(body.role),
        now=now,
    )
    return service.user_out(user, today=now.date())


@router.post("/login", summary="Log in with email and password (then /login/2fa if asked)")
async def login(
    body: LoginIn,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> TokenPairOut | TwoFactorChallengeOut:
    return await service.login(
        session,
        runtime.settings,
        throttle,
        email=body.email,
        password=body.password,
        client_ip=_client_ip(request),
        now=runtime.clock.now(),
    )


@router.post("/login/2fa", summary="Second login step: the challenge and a TOTP or recovery code")
async def login_two_factor(
    body: LoginTwoFactorIn,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> TokenPairOut:
    return await service.complete_two_factor_login(
        session,
        runtime.settings,
        throttle,
        access_denylist(runtime),
        challenge_token=body.challenge_token,
        code=body.code,
        client_ip=_client_ip(request),
        now=runtime.clock.now(),
    )


@router.post(
    "/refresh",
    response_model=TokenPairOut,
    summary="Rotate a refresh token for a new pair",
    responses={401: {"description": "Unknown, expired, revoked or reused refresh token"}},
)
async def refresh(
    body: RefreshIn, request: Request, session: SessionDep, runtime: RuntimeDep
) -> TokenPairOut | JSONResponse:
    result = await service.rotate_refresh_token(
        session, runtime.settings, body.refresh_token, now=runtime.clock.now()
    )
    if isinstance(result, service.RefreshRefused):
        # Returned, not raised, so that a reuse's family revocation is committed.
        return problem_response(
            401, "invalid-refresh-token", result.reason, instance=request.url.path
        )
    return result


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke this refresh token's family and the access token sent as Bearer",
)
async def logout(
    body: RefreshIn,
    session: SessionDep,
    runtime: RuntimeDep,
    authorization: Annotated[
        str | None,
        Header(description="Optional `Bearer <access token>`: that access token is revoked too"),
    ] = None,
) -> Response:
    # A plain optional header rather than the bearer security scheme: logging out must work
    # without an access token (it may have expired), and the OpenAPI document says so.
    scheme, _, token = (authorization or "").partition(" ")
    revoked = await service.logout(
        session,
        runtime.settings,
        access_denylist(runtime),
        body.refresh_token,
        access_token=token.strip() if scheme.lower() == "bearer" and token.strip() else None,
        now=runtime.clock.now(),
    )
    if revoked is not None:
        message = {"user_id": revoked.user_id, "jti": revoked.jti}
        publish_after_commit(session, get_pubsub(runtime), TOKENS_REVOKED_CHANNEL, message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", summary="Change the password (a fresh 2FA code when 2FA is on)")
async def change_password(
    body: PasswordChangeIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> TokenPairOut:
    tokens = await service.change_password(
        session,
        runtime.settings,
        throttle,
        user,
        current_password=body.current_password,
        new_password=body.new_password,
        code=body.code,
        now=runtime.clock.now(),
    )
    message = {"user_id": user.id, "below_version": user.token_version}
    publish_after_commit(session, get_pubsub(runtime), TOKENS_REVOKED_CHANNEL, message)
    return tokens


@router.post("/2fa/enrol", summary="Start TOTP enrolment: secret, otpauth URI and QR code")
async def enrol_two_factor(user: CurrentUser) -> TotpEnrolmentOut:
    return twofactor.begin_totp_enrolment(user)


@router.post(
    "/2fa/verify",
    summary="Activate TOTP with a code; returns 10 recovery codes once and a new token pair "
    "(every other session ends)",
)
async def verify_two_factor(
    body: CodeIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> TwoFactorEnabledOut:
    enabled = await service.enable_two_factor(
        session, runtime.settings, throttle, user, body.code, now=runtime.clock.now()
    )
    message = {"user_id": user.id, "below_version": user.token_version}
    publish_after_commit(session, get_pubsub(runtime), TOKENS_REVOKED_CHANNEL, message)
    return enabled


@router.post(
    "/2fa/disable",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Turn TOTP off with a TOTP or recovery code",
)
async def disable_two_factor(
    body: CodeIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> Response:
    await twofactor.disable_totp(session, throttle, user, body.code, now=runtime.clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/2fa/recovery-codes", summary="Replace the recovery codes (needs a TOTP code)")
async def new_recovery_codes(
    body: CodeIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
) -> RecoveryCodesOut:
    codes = await twofactor.regenerate_recovery_codes(
        session, throttle, user, body.code, now=runtime.clock.now()
    )
    return RecoveryCodesOut(recovery_codes=codes)


@me_router.get("/me", summary="The caller's profile")
async def me(user: CurrentUser, runtime: RuntimeDep) -> UserOut:
    return service.user_out(user, today=runtime.clock.now().date())
