"""Tiered request rate limits (the `limits` package) as pure ASGI middleware.

Tiers come from settings — anonymous, learner (also guardians) and admin — and are keyed by the user
id when a valid access token is sent, by the client IP otherwise. Counters use fixed windows in
Redis when `KEEL_REDIS_URL` is set (shared by API replicas), in memory otherwise. Every limited
response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); a refused
one is 429 problem+json with `Retry-After`. Probes and `/metrics` are never limited.

The middleware decodes the access token once for the whole request: with Redis, the count and
whether a logout revoked the token are asked in one round trip (`RedisWindows`), and both the
claims and that answer are left in the request's state (`CheckedAccess`) for the route's
authentication, which then asks neither again.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keel.domain.enums import Role
from keel.server.auth.revocation import CHECKED_ACCESS, CheckedAccess, RedisAccessDenylist
from keel.server.auth.tokens import ACCESS_TOKEN, InvalidToken, TokenClaims, decode_token
from keel.server.errors import ProblemError, problem_response
from keel.server.redis_client import redis_client
from keel.server.runtime import Runtime
from keel.server.settings import Settings

log = structlog.get_logger(__name__)


LIMITED_PREFIX = "/api/"
"""Only the API is rate-limited. Everything else is static — the web app's shell and hashed
assets, the docs pages, problem pages (the `rate-limited` answer links to one: it must open even
then) — or a probe (`/healthz`, `/readyz`, `/metrics`)."""
ANONYMOUS_PATHS = frozenset(
    f"/api/v1/auth/{name}" for name in ("register", "login", "login/2fa", "refresh", "logout")
)
"""Routes that take no access token are counted in the anonymous tier, by IP, whatever token is
sent: a bearer token must not buy a password or code guesser the learner tier's allowance."""


class Tier(StrEnum):
    ANONYMOUS = "anonymous"
    LEARNER = "learner"
    ADMIN = "admin"
    UPLOAD = "upload"
    """Uploaded files, per user, on top of the user's own tier: each is parsed in full."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    revoked: bool | None = None
    """Whether the access token asked about with the count was revoked; None: not asked."""

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
        ]


WINDOW_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local revoked = 0
if #KEYS > 1 then revoked = redis.call('EXISTS', KEYS[2]) end
return {count, ttl, revoked}
"""
"""One fixed window's hit: count it (the first hit starts the window's expiry), how long the
window has left in ms, and whether the key `KEYS[2]` (a revoked token's) exists."""


class RedisWindows:
    """Fixed-window counters in Redis, shared by every replica: one script call per hit, which
    also answers whether the caller's access token is on the denylist (one round trip, not two).

    The script touches two keys, so it needs one Redis, not a cluster (their slots may differ);
    wherever it fails, the middleware lets the request through uncounted and the route asks the
    denylist on its own, so a revoked token is refused either way."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._hit = redis.register_script(WINDOW_SCRIPT)

    async def hit(
        self, key: str, expiry_seconds: int, revoked_key: str | None
    ) -> tuple[int, float, bool | None]:
        """(count in this window, seconds until it ends, whether `revoked_key` exists)."""
        keys = [f"{self.prefix}:{key}"] + ([revoked_key] if revoked_key else [])
        count, ttl_ms, revoked = await self._hit(keys=keys, args=[expiry_seconds * 1000])
        seconds_left = ttl_ms / 1000 if ttl_ms > 0 else float(expiry_seconds)
        return int(count), seconds_left, bool(revoked) if revoked_key else None


class MemoryWindows:
    """Fixed-window counters in this process (`limits`' memory storage), for one API process."""

    def __init__(self) -> None:
        self.storage = MemoryStorage()

    async def hit(
        self, key: str, expiry_seconds: int, revoked_key: str | None
    ) -> tuple[int, float, bool | None]:
        count = await self.storage.incr(key, expiry_seconds)
        return count, await self.storage.get_expiry(key) - time.time(), None


class RequestLimiter:
    """Counts one hit per request against the caller's tier."""

    def __init__(
        self, windows: RedisWindows | MemoryWindows, tiers: dict[Tier, RateLimitItem]
    ) -> None:
        self.windows = windows
        self.tiers = tiers

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestLimiter:
        windows: RedisWindows | MemoryWindows = MemoryWindows()
        if settings.redis_url:
            prefix = f"{settings.redis_namespace}:ratelimit"
            windows = RedisWindows(redis_client(settings.redis_url), prefix)
        tiers = {
            Tier.ANONYMOUS: parse(settings.rate_limit_anonymous),
            Tier.LEARNER: parse(settings.rate_limit_learner),
            Tier.ADMIN: parse(settings.rate_limit_admin),
            Tier.UPLOAD: parse(settings.rate_limit_upload),
        }
        return cls(windows, tiers)

    async def hit(self, tier: Tier, identity: str, *, revoked_key: str | None = None) -> Decision:
        """Count one request (one round trip to Redis); with `revoked_key`, also whether that
        denylist key exists (`Decision.revoked`)."""
        item = self.tiers[tier]
        key = item.key_for(tier.value, identity)
        count, seconds_left, revoked = await self.windows.hit(key, item.get_expiry(), revoked_key)
        return Decision(
            allowed=count <= item.amount,
            limit=item.amount,
            remaining=max(0, item.amount - count),
            reset_seconds=max(1, math.ceil(seconds_left)),
            revoked=revoked,
        )

    async def close(self) -> None:
        if isinstance(self.windows, RedisWindows):
            await self.windows.redis.aclose()
        else:  # the memory storage's expiry task
            timer = getattr(self.windows.storage, "timer", None)
            if timer is not None:
                timer.cancel()


def caller_of(
    scope: Scope, settings: Settings, runtime: Runtime
) -> tuple[Tier, str, CheckedAccess | None]:
    """The caller's tier and counter key: user id with a valid access token, else the client IP
    (always the IP on `ANONYMOUS_PATHS`); and the token with its claims, when it was valid."""
    client = scope.get("client")
    anonymous = Tier.ANONYMOUS, f"ip:{client[0] if client else 'unknown'}", None
    if scope.get("path", "") in ANONYMOUS_PATHS:
        return anonymous
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            if scheme.lower() != "bearer" or not token:
                break
            try:
                claims = decode_token(
                    settings, token, expected_use=ACCESS_TOKEN, now=runtime.clock.now()
                )
            except InvalidToken:
                break
            tier = Tier.ADMIN if claims.role == Role.ADMIN.value else Tier.LEARNER
            return tier, f"user:{claims.user_id}", CheckedAccess(token, claims)
    return anonymous


def _revoked_key(runtime: Runtime, claims: TokenClaims) -> str | None:
    """The denylist key of the token, when the denylist lives in Redis (asked with the count)."""
    denylist = runtime.access_denylist
    return denylist.key(claims.jti) if isinstance(denylist, RedisAccessDenylist) else None


def too_many(decision: Decision, tier: Tier) -> ProblemError:
    """The 429 a refused `decision` answers with."""
    return ProblemError(
        429,
        "rate-limited",
        f"Too many requests in a short time: wait {decision.reset_seconds} seconds, "
        "then try again.",
        headers={"Retry-After": str(decision.reset_seconds)},
        limit=decision.limit,
        tier=tier.value,
    )


async def check_uploads(runtime: Runtime, user_id: str) -> None:
    """Count one uploaded file of `user_id` against the upload tier (429 past it). Each file is
    parsed in full, so a learner's whole request tier of large files would be a core's work."""
    limiter = runtime.rate_limiter
    if limiter is None:
        return
    try:
        decision = await limiter.hit(Tier.UPLOAD, user_id)
    except Exception:  # a broken counter store must not take uploads down: fail open
        log.exception("rate-limit storage unavailable; upload allowed")
        return
    if not decision.allowed:
        raise too_many(decision, Tier.UPLOAD)


class RateLimitMiddleware:
    """Applies the runtime's `RequestLimiter` (`Runtime.rate_limiter`) to every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runtime: Runtime | None = None
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(LIMITED_PREFIX):
            runtime = getattr(scope["app"].state, "runtime", None)
        limiter = runtime.rate_limiter if runtime else None
        if runtime is None or limiter is None:
            await self.app(scope, receive, send)
            return
        tier, identity, checked = caller_of(scope, runtime.settings, runtime)
        revoked_key = _revoked_key(runtime, checked.claims) if checked else None
        try:
            decision = await limiter.hit(tier, identity, revoked_key=revoked_key)
        except Exception:  # a broken counter store must not take the API down: fail open
            log.exception("rate-limit storage unavailable; request allowed")
            await self.app(scope, receive, send)
            return
        if checked is not None:  # the route's authentication reads this instead of asking again
            checked.revoked = decision.revoked
            scope.setdefault("state", {})[CHECKED_ACCESS] = checked
        if not decision.allowed:
            problem = too_many(decision, tier)
            response = problem_response(
                problem.status,
                problem.code,
                problem.detail,
                instance=scope["path"],
                headers=problem.headers,
                **problem.extra,
            )
            response.raw_headers.extend(decision.headers())
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *decision.headers()]
            await send(message)

        await self.app(scope, receive, send_with_headers)
