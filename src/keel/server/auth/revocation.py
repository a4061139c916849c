"""A denylist of revoked access tokens, by `jti`, kept only as long as each token could still work.

Logout adds the caller's access token; every authenticated path (`CurrentUser`, the order fast path,
WebSocket auth) asks once per request and never the database: an HTTP request's answer comes with
its rate-limit count from one Redis script (`CheckedAccess`, `keel.server.ratelimit`); otherwise
`is_revoked` is one Redis GET, or one in-memory set lookup. Entries live in Redis when `KEEL_REDIS_URL` is set (every API replica sees a
logout at once), in memory otherwise; each expires with the token it names, since an expired token is
refused anyway.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from keel.server.auth.tokens import TokenClaims
from keel.server.runtime import Runtime

TOKENS_REVOKED_CHANNEL = "auth:revoked"
"""Published after a logout (`{"user_id", "jti"}`: that access token), a password change and
turning 2FA on (`{"user_id", "below_version"}`: every older token of the user); WebSockets opened with such a
token are closed (`keel.server.realtime`)."""


CHECKED_ACCESS = "keel.checked_access"
"""Request state key: the `CheckedAccess` of the request's access token, when the rate limiter
decoded it (`keel.server.ratelimit`)."""


@dataclass(slots=True)
class CheckedAccess:
    """An access token checked once for the whole request: its verified claims and, when asked
    together with the rate limit's count, whether a logout revoked it."""

    token: str
    claims: TokenClaims
    revoked: bool | None = None
    """None: not asked yet (no Redis, or the count failed); the denylist is asked then."""


def checked_access(scope: Mapping[str, Any]) -> CheckedAccess | None:
    """The request's `CheckedAccess` (`scope`: its ASGI scope), if the rate limiter left one."""
    found = scope.get("state", {}).get(CHECKED_ACCESS)
    return found if isinstance(found, CheckedAccess) else None


class AccessDenylist(Protocol):
    async def revoke(self, jti: str, *, expires_at: datetime, now: datetime) -> None:
        """Refuse the access token `jti` until `expires_at` (after which it is expired anyway)."""

    async def is_revoked(self, jti: str) -> bool: ...

    async def spend(self, jti: str, *, expires_at: datetime, now: datetime) -> bool:
        """Mark a single-use token (a 2FA login challenge) used: True the first time only, also
        when several requests spend it at once."""

    async def close(self) -> None: ...


class MemoryAccessDenylist:
    """In-process denylist (one API process, or tests); expired entries are pruned on `revoke`."""

    def __init__(self) -> None:
        self._revoked: set[str] = set()
        self._expiries: list[tuple[datetime, str]] = []  # min-heap of (token expiry, jti)

    async def revoke(self, jti: str, *, expires_at: datetime, now: datetime) -> None:
        while self._expiries and self._expiries[0][0] <= now:
            _, stale = heapq.heappop(self._expiries)
            self._revoked.discard(stale)
        if expires_at <= now or jti in self._revoked:
            return
        self._revoked.add(jti)
        heapq.heappush(self._expiries, (expires_at, jti))

    async def is_revoked(self, jti: str) -> bool:
        return jti in self._revoked

    async def spend(self, jti: str, *, expires_at: datetime, now: datetime) -> bool:
        if jti in self._revoked:  # no await between the check and the mark: one winner
            return False
        await self.revoke(jti, expires_at=expires_at, now=now)
        return True

    def __len__(self) -> int:
        return len(self._revoked)

    async def close(self) -> None:
        self._revoked.clear()
        self._expiries.clear()


class RedisAccessDenylist:
    """One key per revoked token, `<namespace>:revoked-access:<jti>`, expiring with the token."""

    def __init__(self, redis: Any, namespace: str) -> None:
        self._redis = redis
        self._prefix = f"{namespace}:revoked-access:"

    def key(self, jti: str) -> str:
        return self._prefix + jti

    async def revoke(self, jti: str, *, expires_at: datetime, now: datetime) -> None:
        remaining_ms = math.ceil((expires_at - now).total_seconds() * 1000)
        if remaining_ms > 0:
            await self._redis.set(self.key(jti), "1", px=remaining_ms)

    async def is_revoked(self, jti: str) -> bool:
        return await self._redis.get(self.key(jti)) is not None

    async def spend(self, jti: str, *, expires_at: datetime, now: datetime) -> bool:
        remaining_ms = max(1, math.ceil((expires_at - now).total_seconds() * 1000))
        return bool(await self._redis.set(self.key(jti), "1", px=remaining_ms, nx=True))

    async def close(self) -> None:
        await self._redis.aclose()


def access_denylist(runtime: Runtime) -> AccessDenylist:
    """The runtime's denylist of revoked access tokens."""
    if runtime.access_denylist is None:
        raise RuntimeError("the runtime has not started")
    return runtime.access_denylist


def build_access_denylist(redis_url: str | None, namespace: str) -> AccessDenylist:
    """Redis-backed when Redis is configured (shared by every replica), in memory otherwise."""
    if redis_url:
        from keel.server.redis_client import redis_client

        return RedisAccessDenylist(redis_client(redis_url), namespace)
    return MemoryAccessDenylist()
