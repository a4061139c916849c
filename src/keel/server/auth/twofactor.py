"""TOTP second factor (pyotp): enrolment with a QR code (segno), activation, single-use hashed
recovery codes, disabling, and `require_fresh_second_factor` for sensitive operations.

Codes are 6 digits on 30-second steps; one step of drift either way is accepted, and a step once
used is never accepted again for that user (no replay of an observed code, even sent twice at
once: the step is claimed by a conditional UPDATE). Every wrong code, on whichever endpoint, counts
against the user's second-factor throttle (`throttle.SECOND_FACTOR_POLICY`); a locked user gets
429 before any code is checked.
"""

from __future__ import annotations

import hmac
import math
import re
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from keel.server.auth import repository
from keel.server.auth.models import User
from keel.server.auth.schemas import TotpEnrolmentOut
from keel.server.auth.throttle import SECOND_FACTOR_POLICY, LoginThrottle, second_factor_key
from keel.server.auth.tokens import sha256_hex
from keel.server.errors import ProblemError

ISSUER = "Keel"
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
_TOTP_CODE = re.compile(r"^\d{6}$")


def new_recovery_code() -> str:
    """16 characters from a 32-letter alphabet (80 random bits), as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def recovery_code_hash(code: str) -> str:
    """Hash of a recovery code after dropping separators and case, so users may type it loosely."""
    return sha256_hex(re.sub(r"[^0-9A-Z]", "", code.upper()))


def matching_totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step (within ±1 of `now`) whose code equals `code`, or None."""
    if not _TOTP_CODE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


async def _accept_totp(session: AsyncSession, user: User, code: str, now: datetime) -> bool:
    if not user.totp_secret:
        return False
    step = matching_totp_step(user.totp_secret, code.replace(" ", ""), now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    if not await repository.claim_totp_step(session, user.id, step):
        return False  # a concurrent request spent this code first
    set_committed_value(user, "totp_last_step", step)
    return True


async def verify_second_factor(
    session: AsyncSession, user: User, code: str, *, now: datetime, allow_recovery: bool = True
) -> bool:
    """True for a fresh authenticator code or (if allowed) an unused recovery code, which is spent.
    Counts nothing: endpoints call `check_second_factor`."""
    code = code.strip()
    if await _accept_totp(session, user, code, now):
        return True
    if not allow_recovery or _TOTP_CODE.match(code.replace(" ", "")):
        return False
    row = await repository.find_unused_recovery_code(session, user.id, recovery_code_hash(code))
    if row is None:
        return False
    row.used_at = now
    return True


def second_factor_throttled(retry_after: float) -> ProblemError:
    seconds = max(1, math.ceil(retry_after))
    return ProblemError(
        429,
        "second-factor-throttled",
        f"Too many wrong codes: wait {seconds} seconds, then type the newest code from your "
        "authenticator app.",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


async def check_second_factor(
    session: AsyncSession,
    throttle: LoginThrottle,
    user: User,
    code: str,
    *,
    now: datetime,
    allow_recovery: bool = True,
) -> bool:
    """`verify_second_factor` behind the user's throttle: 429 while locked, a wrong code counted,
    a right one clears the count."""
    key = second_factor_key(user.id)
    wait = await throttle.retry_after([key])
    if wait > 0:
        raise second_factor_throttled(wait)
    if await verify_second_factor(session, user, code, now=now, allow_recovery=allow_recovery):
        await throttle.clear(key)
        return True
    await throttle.record_failure(key, SECOND_FACTOR_POLICY)
    return False


async def require_fresh_second_factor(
    session: AsyncSession,
    throttle: LoginThrottle,
    user: User,
    code: str | None,
    *,
    now: datetime | None = None,
) -> None:
    """Refuse a sensitive operation unless 2FA is off or `code` is a fresh code (403 problem).

    For the trading side: call it before approving a minor's order, with the code the guardian sent.
    """
    if not user.totp_enabled:
        return
    if not code:
        raise ProblemError(
            403,
            "second-factor-required",
            "this operation needs a current code from your authenticator app (field `code`)",
        )
    if not await check_second_factor(session, throttle, user, code, now=now or datetime.now(UTC)):
        raise ProblemError(
            403, "invalid-second-factor", "the code is wrong, expired or already used"
        )


def begin_totp_enrolment(user: User) -> TotpEnrolmentOut:
    """Give the user a new secret (not yet active) as an otpauth URI and a QR code."""
    if user.totp_enabled:
        raise ProblemError(409, "two-factor-already-enabled", "two-factor login is already on")
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.totp_last_step = None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    qr_svg = segno.make(uri, error="m").svg_data_uri(scale=4)
    return TotpEnrolmentOut(secret=secret, otpauth_uri=uri, qr_svg=qr_svg)


async def _new_recovery_codes(session: AsyncSession, user: User) -> list[str]:
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    await repository.replace_recovery_codes(
        session, user.id, [recovery_code_hash(code) for code in codes]
    )
    return codes


async def activate_totp(
    session: AsyncSession, throttle: LoginThrottle, user: User, code: str, *, now: datetime
) -> list[str]:
    """Turn 2FA on once the user proves the enrolled secret; returns 10 recovery codes (shown once)."""
    if user.totp_enabled:
        raise ProblemError(409, "two-factor-already-enabled", "two-factor login is already on")
    if not user.totp_secret:
        raise ProblemError(409, "two-factor-not-enrolled", "start with POST /auth/2fa/enrol")
    if not await check_second_factor(
        session, throttle, user, code.strip(), now=now, allow_recovery=False
    ):
        raise ProblemError(403, "invalid-second-factor", "the code is wrong or expired")
    user.totp_enabled = True
    return await _new_recovery_codes(session, user)


async def disable_totp(
    session: AsyncSession, throttle: LoginThrottle, user: User, code: str, *, now: datetime
) -> None:
    """Turn 2FA off with an authenticator or recovery code; forgets the secret and the codes."""
    if not user.totp_enabled:
        raise ProblemError(409, "two-factor-not-enabled", "two-factor login is not on")
    await require_fresh_second_factor(session, throttle, user, code, now=now)
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    await repository.delete_recovery_codes(session, user.id)


async def regenerate_recovery_codes(
    session: AsyncSession, throttle: LoginThrottle, user: User, code: str, *, now: datetime
) -> list[str]:
    """Replace every recovery code after an authenticator code; the old ones stop working."""
    if not user.totp_enabled:
        raise ProblemError(409, "two-factor-not-enabled", "two-factor login is not on")
    if not await check_second_factor(session, throttle, user, code, now=now, allow_recovery=False):
        raise ProblemError(403, "invalid-second-factor", "the code is wrong, expired or used")
    return await _new_recovery_codes(session, user)
