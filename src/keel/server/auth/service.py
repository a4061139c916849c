"""Use cases of the identity side: register, log in (with 2FA), rotate and revoke refresh tokens,
change the password, authenticate an access token. Never commits: the request's session does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Cohort, Role
from keel.server.auth import repository
from keel.server.auth.models import ADULT_AGE_YEARS, RefreshToken, User, age_on, new_id
from keel.server.auth.passwords import (
    burn_verification_time_off_loop,
    hash_password_off_loop,
    password_hasher,
    password_policy_violations,
    verify_password_off_loop,
)
from keel.server.auth.revocation import AccessDenylist, CheckedAccess
from keel.server.auth.schemas import (
    TokenPairOut,
    TwoFactorChallengeOut,
    TwoFactorEnabledOut,
    UserOut,
)
from keel.server.auth.throttle import (
    ACCOUNT_POLICY,
    IP_POLICY,
    LoginThrottle,
    account_key,
    ip_key,
    password_change_key,
    second_factor_key,
)
from keel.server.auth.tokens import (
    ACCESS_TOKEN,
    CHALLENGE_TOKEN,
    InvalidToken,
    TokenClaims,
    decode_token,
    issue_access_token,
    issue_challenge_token,
    new_opaque_token,
    sha256_hex,
)
from keel.server.auth.twofactor import (
    activate_totp,
    check_second_factor,
    require_fresh_second_factor,
    second_factor_throttled,
)
from keel.server.errors import ProblemError
from keel.server.settings import Settings

log = structlog.get_logger(__name__)

MAX_AGE_YEARS = 120
ADULT_ROLES = (Role.GUARDIAN, Role.TEACHER, Role.ADMIN)
"""Roles only an adult may hold."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def unauthorized(detail: str) -> ProblemError:
    return ProblemError(
        401, "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="keel"'}
    )


def throttled(retry_after: float) -> ProblemError:
    seconds = max(1, math.ceil(retry_after))
    return ProblemError(
        429,
        "login-throttled",
        f"Too many wrong passwords: wait {seconds} seconds, then try again carefully.",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


def user_out(user: User, *, today: date) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        date_of_birth=user.date_of_birth,
        role=user.role,
        cohort=user.cohort,
        is_minor=user.is_minor_on(today),
        two_factor_enabled=user.totp_enabled,
        one_time_sign_in=user.must_change_password,
        created_at=user.created_at,
    )


async def create_user(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    display_name: str,
    date_of_birth: date,
    role: Role,
    now: datetime,
    must_change_password: bool = False,
) -> User:
    """Add a user after checking age, role and password policy; 409 when the email is taken.
    `must_change_password`: a one-time password (a teacher's roster import)."""
    email = normalize_email(email)
    today = now.date()
    if date_of_birth > today:
        raise ProblemError(422, "invalid-date-of-birth", "the date of birth is in the future")
    age = age_on(date_of_birth, today)
    if age > MAX_AGE_YEARS:
        raise ProblemError(422, "invalid-date-of-birth", "the date of birth is implausibly old")
    if role in ADULT_ROLES and age < ADULT_AGE_YEARS:
        raise ProblemError(422, "must-be-adult", f"a {role.value} must be at least 18 years old")
    reasons = password_policy_violations(password, email)
    if reasons:
        raise ProblemError(
            422, "weak-password", "the password is refused: " + "; ".join(reasons), reasons=reasons
        )
    if await repository.get_user_by_email(session, email) is not None:
        raise ProblemError(409, "email-taken", "an account with this email already exists")
    user = User(
        id=new_id(),
        email=email,
        display_name=display_name,
        date_of_birth=date_of_birth,
        role=role.value,
        cohort=Cohort.GENERAL.value,
        password_hash=await hash_password_off_loop(settings, password),
        is_active=True,
        must_change_password=must_change_password,
        totp_enabled=False,
        token_version=0,
        created_at=now,
    )
    try:
        await repository.add(session, user)
    except IntegrityError as exc:  # a concurrent registration won the race
        raise ProblemError(409, "email-taken", "an account with this email already exists") from exc
    return user


async def issue_token_pair(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    now: datetime,
    family_id: str | None = None,
) -> TokenPairOut:
    """A new access token and a new refresh token (in `family_id`, or a new family)."""
    refresh = new_opaque_token()
    await repository.add(
        session,
        RefreshToken(
            id=new_id(),
            user_id=user.id,
            family_id=family_id or new_id(),
            token_hash=sha256_hex(refresh),
            created_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        ),
    )
    access = issue_access_token(
        settings, user_id=user.id, role=user.role, version=user.token_version, now=now
    )
    return TokenPairOut(
        access_token=access, refresh_token=refresh, expires_in=settings.access_token_minutes * 60
    )


async def login(
    session: AsyncSession,
    settings: Settings,
    throttle: LoginThrottle,
    *,
    email: str,
    password: str,
    client_ip: str,
    now: datetime,
) -> TokenPairOut | TwoFactorChallengeOut:
    """Check the password (throttled per account and IP); tokens, or a 2FA challenge."""
    email = normalize_email(email)
    keys = [account_key(email, client_ip), ip_key(client_ip)]
    wait = await throttle.retry_after(keys)
    if wait > 0:
        raise throttled(wait)
    user = await repository.get_user_by_email(session, email)
    if user is None:
        await burn_verification_time_off_loop(settings)
        valid = False
    else:
        valid = user.is_active and await verify_password_off_loop(
            settings, user.password_hash, password
        )
    if user is None or not valid:
        await throttle.record_failure(keys[0], ACCOUNT_POLICY)
        await throttle.record_failure(keys[1], IP_POLICY)
        raise unauthorized("the email or the password is wrong")
    if password_hasher(settings).check_needs_rehash(user.password_hash):
        user.password_hash = await hash_password_off_loop(settings, password)
    if user.totp_enabled:
        # The failures stay counted until the second step succeeds: a right password alone must
        # not reset the count an attacker guessing codes runs up.
        token = issue_challenge_token(settings, user_id=user.id, role=user.role, now=now)
        return TwoFactorChallengeOut(challenge_token=token)
    await throttle.clear(keys[0])
    return await issue_token_pair(session, settings, user, now=now)


async def complete_two_factor_login(
    session: AsyncSession,
    settings: Settings,
    throttle: LoginThrottle,
    denylist: AccessDenylist,
    *,
    challenge_token: str,
    code: str,
    client_ip: str,
    now: datetime,
) -> TokenPairOut:
    """Second login step: a valid challenge plus an authenticator or recovery code. A challenge
    is good for one try, right or wrong; a wrong code counts against the user's 2FA throttle."""
    try:
        claims = decode_token(settings, challenge_token, expected_use=CHALLENGE_TOKEN, now=now)
    except InvalidToken as exc:
        raise unauthorized(
            f"the login challenge is not valid ({exc.reason}); log in again"
        ) from exc
    user = await repository.get_user(session, claims.user_id)
    if user is None or not user.is_active or not user.totp_enabled:
        raise unauthorized("the login challenge is no longer valid; log in again")
    wait = await throttle.retry_after([second_factor_key(user.id)])
    if wait > 0:
        raise second_factor_throttled(wait)
    if not await denylist.spend(claims.jti, expires_at=claims.expires_at, now=now):
        raise unauthorized("this login challenge was already used; log in again with your password")
    if not await check_second_factor(session, throttle, user, code, now=now):
        raise unauthorized(
            "the code is wrong, expired or already used; log in again with your password"
        )
    await throttle.clear(account_key(user.email, client_ip))
    return await issue_token_pair(session, settings, user, now=now)


@dataclass(frozen=True)
class RefreshRefused:
    reason: str


async def rotate_refresh_token(
    session: AsyncSession, settings: Settings, raw_token: str, *, now: datetime
) -> TokenPairOut | RefreshRefused:
    """Spend `raw_token` for a new pair. A spent token presented again revokes its whole family.

    Returns `RefreshRefused` instead of raising so that the family revocation is committed.
    """
    row = await repository.get_refresh_token_for_update(session, sha256_hex(raw_token))
    if row is None:
        return RefreshRefused("unknown refresh token")
    if row.revoked_at is not None:
        return RefreshRefused("the refresh token was revoked; log in again")
    if row.spent_at is not None:
        await repository.revoke_family(session, row.family_id, now)
        log.warning("refresh token reused; family revoked", user_id=row.user_id)
        return RefreshRefused("the refresh token was already used; every session of it is revoked")
    if row.expires_at <= now:
        return RefreshRefused("the refresh token has expired; log in again")
    user = await repository.get_user(session, row.user_id)
    if user is None or not user.is_active:
        return RefreshRefused("the account is not active")
    row.spent_at = now
    return await issue_token_pair(session, settings, user, now=now, family_id=row.family_id)


async def logout(
    session: AsyncSession,
    settings: Settings,
    denylist: AccessDenylist,
    raw_token: str,
    *,
    access_token: str | None,
    now: datetime,
) -> TokenClaims | None:
    """Revoke the refresh token's family (this device's session) and, when sent, the caller's
    access token until it expires; returns that token's claims when it was revoked. Unknown
    refresh tokens and invalid access tokens are ignored."""
    claims: TokenClaims | None = None
    if access_token is not None:
        try:
            claims = decode_token(settings, access_token, expected_use=ACCESS_TOKEN, now=now)
        except InvalidToken:
            pass  # nothing to revoke: it is refused anyway
        else:
            await denylist.revoke(claims.jti, expires_at=claims.expires_at, now=now)
    row = await repository.get_refresh_token_for_update(session, sha256_hex(raw_token))
    if row is not None:
        await repository.revoke_family(session, row.family_id, now)
    return claims


async def verify_access_token(
    settings: Settings,
    denylist: AccessDenylist,
    token: str,
    *,
    now: datetime,
    checked: CheckedAccess | None = None,
) -> TokenClaims:
    """The claims of a valid, unrevoked access token (no database query); 401 problem otherwise.
    `checked`: what this request already found out about the token (nothing is asked twice)."""
    if checked is not None and checked.token == token:
        claims = checked.claims
    else:
        try:
            claims = decode_token(settings, token, expected_use=ACCESS_TOKEN, now=now)
        except InvalidToken as exc:
            raise unauthorized(f"the access token is not valid ({exc.reason})") from exc
        checked = None
    revoked = checked.revoked if checked is not None else None
    if revoked is None:
        revoked = await denylist.is_revoked(claims.jti)
    if revoked:
        raise unauthorized("the access token was revoked by a logout; log in again")
    return claims


async def user_from_access_token(
    session: AsyncSession,
    settings: Settings,
    denylist: AccessDenylist,
    token: str,
    *,
    now: datetime,
    checked: CheckedAccess | None = None,
) -> User:
    """The active user an access token belongs to; 401 problem otherwise (also for WebSockets)."""
    claims = await verify_access_token(settings, denylist, token, now=now, checked=checked)
    user = await repository.get_user(session, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise unauthorized("the access token is no longer valid; log in again")
    return user


async def change_password(
    session: AsyncSession,
    settings: Settings,
    throttle: LoginThrottle,
    user: User,
    *,
    current_password: str,
    new_password: str,
    code: str | None,
    now: datetime,
) -> TokenPairOut:
    """Replace the password (fresh 2FA code when 2FA is on). Every older access and refresh token
    stops working; a new pair for the caller is returned. Wrong current passwords are throttled
    like failed logins (per user; 429 while locked, before any hashing)."""
    key = password_change_key(user.id)
    wait = await throttle.retry_after([key])
    if wait > 0:
        raise throttled(wait)
    if not await verify_password_off_loop(settings, user.password_hash, current_password):
        await throttle.record_failure(key, ACCOUNT_POLICY)
        raise ProblemError(403, "wrong-password", "the current password is wrong")
    await throttle.clear(key)
    await require_fresh_second_factor(session, throttle, user, code, now=now)
    reasons = password_policy_violations(new_password, user.email)
    if new_password == current_password:
        reasons.append("choose a password different from the current one")
    if reasons:
        raise ProblemError(
            422, "weak-password", "the password is refused: " + "; ".join(reasons), reasons=reasons
        )
    user.password_hash = await hash_password_off_loop(settings, new_password)
    user.must_change_password = False
    user.token_version += 1
    await repository.revoke_all_refresh_tokens(session, user.id, now)
    return await issue_token_pair(session, settings, user, now=now)


async def enable_two_factor(
    session: AsyncSession,
    settings: Settings,
    throttle: LoginThrottle,
    user: User,
    code: str,
    *,
    now: datetime,
) -> TwoFactorEnabledOut:
    """Turn 2FA on with a code of the enrolled secret. Every other session ends (a session opened
    by someone who knew only the password must not outlive the second factor): older access and
    refresh tokens stop working, and the caller gets a new pair with the recovery codes."""
    codes = await activate_totp(session, throttle, user, code, now=now)
    user.token_version += 1
    await repository.revoke_all_refresh_tokens(session, user.id, now)
    tokens = await issue_token_pair(session, settings, user, now=now)
    return TwoFactorEnabledOut(recovery_codes=codes, tokens=tokens)
