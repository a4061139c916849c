"""JWT access and 2FA-challenge tokens (PyJWT), and opaque refresh tokens stored as SHA-256.

Expiry is checked against the runtime's clock, not PyJWT's own wall-clock read, so a server run with
a fixed clock (tests) issues and accepts tokens consistently. Only the configured HMAC algorithm is
accepted: `alg: none` and any other algorithm are refused.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import jwt

from keel.server.settings import Settings

ACCESS_TOKEN = "access"
CHALLENGE_TOKEN = "2fa-challenge"
CHALLENGE_MINUTES = 5
CLOCK_SKEW_SECONDS = 60


class InvalidToken(Exception):
    """The token is malformed, forged, of the wrong kind or expired; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    role: str
    issued_at: datetime
    expires_at: datetime
    jti: str
    version: int


def _signed(
    settings: Settings,
    *,
    user_id: str,
    role: str,
    version: int,
    token_use: str,
    now: datetime,
    lifetime: timedelta,
) -> str:
    """A JWT for `user_id`, signed with the server's secret, expiring `lifetime` after `now`."""
    claims: dict[str, Any] = {
        "sub": user_id,
        "role": role,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
        "ver": version,
        "token_use": token_use,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


def issue_access_token(
    settings: Settings, *, user_id: str, role: str, version: int, now: datetime
) -> str:
    """A signed access token valid `settings.access_token_minutes` from `now`."""
    return _signed(
        settings,
        user_id=user_id,
        role=role,
        version=version,
        token_use=ACCESS_TOKEN,
        now=now,
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )


def issue_challenge_token(settings: Settings, *, user_id: str, role: str, now: datetime) -> str:
    """A short-lived token proving the password step of a 2FA login; useless as an access token."""
    return _signed(
        settings,
        user_id=user_id,
        role=role,
        version=0,
        token_use=CHALLENGE_TOKEN,
        now=now,
        lifetime=timedelta(minutes=CHALLENGE_MINUTES),
    )


@lru_cache(maxsize=16_384)
def _signed_claims(token: str, secret: str, algorithm: str) -> Mapping[str, Any]:
    """The claims of `token` once its signature and algorithm check out; read-only and cached (a
    client sends the same access token with every request; an invalid one raises, never cached).
    Expiry and kind are checked by the caller on every use."""
    return MappingProxyType(
        jwt.decode(
            token,
            secret,
            algorithms=[algorithm],
            options={
                "require": ["sub", "exp", "iat", "jti"],
                "verify_exp": False,  # checked by `decode_token` against the runtime clock
                "verify_iat": False,
            },
        )
    )


def decode_token(
    settings: Settings, token: str, *, expected_use: str, now: datetime
) -> TokenClaims:
    """Verify signature, algorithm, kind and expiry; raise `InvalidToken` otherwise."""
    try:
        claims = _signed_claims(token, settings.jwt_secret, settings.jwt_algorithm)
    except jwt.InvalidSignatureError as exc:
        raise InvalidToken("bad-signature") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise InvalidToken("algorithm-not-allowed") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed") from exc
    if claims.get("token_use") != expected_use:
        raise InvalidToken("wrong-token-kind")
    try:
        issued = datetime.fromtimestamp(int(claims["iat"]), UTC)
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        version = int(claims.get("ver", 0))
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise InvalidToken("malformed") from exc
    if expires <= now:
        raise InvalidToken("expired")
    if issued > now + timedelta(seconds=CLOCK_SKEW_SECONDS):
        raise InvalidToken("issued-in-the-future")
    if not isinstance(claims["sub"], str) or not isinstance(claims.get("role"), str):
        raise InvalidToken("malformed")
    return TokenClaims(
        user_id=claims["sub"],
        role=claims["role"],
        issued_at=issued,
        expires_at=expires,
        jti=str(claims["jti"]),
        version=version,
    )


def new_opaque_token() -> str:
    """A 256-bit random URL-safe token (refresh tokens)."""
    return secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
