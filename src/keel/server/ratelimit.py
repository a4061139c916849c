"""Tiered request rate limits (the `limits` package) as pure ASGI middleware.

Tiers come from settings — anonymous, learner (also guardians) and admin — and are keyed by the user
id when a valid access token is sent, by the client IP otherwise. Counters use fixed windows in
Redis when `KEEL_REDIS_URL` is set (shared by API replicas), in memory otherwise. Every limited
response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); a refused
one is 429 problem+json with `Retry-After`. Probes and `/metrics` are never limited.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keel.domain.enums import Role
from keel.server.auth.tokens import ACCESS_TOKEN, InvalidToken, decode_token
from keel.server.errors import problem_response
from keel.server.redis_client import redis_options
from keel.server.runtime import Runtime
from keel.server.settings import Settings

log = structlog.get_logger(__name__)

WINDOW_ENDS_KEPT = 100_000
"""Windows whose end one process remembers; past ones are dropped when there are more."""

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


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
        ]


class RequestLimiter:
    """Counts one hit per request against the caller's tier."""

    def __init__(self, storage: Storage, tiers: dict[Tier, RateLimitItem]) -> None:
        self.storage = storage
        self.tiers = tiers
        self._window_ends: dict[str, float] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestLimiter:
        storage: Storage
        if settings.redis_url:
            uri = "async+" + settings.redis_url
            storage = RedisStorage(
                uri,
                implementation="redispy",
                key_prefix=f"{settings.redis_namespace}:ratelimit",
                **redis_options(),
            )
        else:
            storage = MemoryStorage()
        tiers = {
            Tier.ANONYMOUS: parse(settings.rate_limit_anonymous),
            Tier.LEARNER: parse(settings.rate_limit_learner),
            Tier.ADMIN: parse(settings.rate_limit_admin),
        }
        return cls(storage, tiers)

    async def hit(self, tier: Tier, identity: str) -> Decision:
        """Count one request; usually one round trip to the counter store.

        What `FixedWindowRateLimiter.hit` does (one INCR that starts the window's expiry), with
        the count it returns giving what is left; when the window ends is remembered per key
        (the hit that starts a window knows it), so it is asked of the store only for a window
        this process did not see start."""
        item = self.tiers[tier]
        key = item.key_for(tier.value, identity)
        count = await self.storage.incr(key, item.get_expiry())
        now = time.time()
        reset_at = self._window_ends.get(key)
        if count == 1:
            reset_at = now + item.get_expiry()
        elif reset_at is None or reset_at <= now:
            reset_at = await self.storage.get_expiry(key)
        self._remember_window_end(key, reset_at, now)
        return Decision(
            allowed=count <= item.amount,
            limit=item.amount,
            remaining=max(0, item.amount - count),
            reset_seconds=max(1, math.ceil(reset_at - now)),
        )

    def _remember_window_end(self, key: str, reset_at: float, now: float) -> None:
        if len(self._window_ends) >= WINDOW_ENDS_KEPT and key not in self._window_ends:
            self._window_ends = {k: end for k, end in self._window_ends.items() if end > now}
        self._window_ends[key] = reset_at


def caller_of(scope: Scope, settings: Settings, runtime: Runtime) -> tuple[Tier, str]:
    """The caller's tier and counter key: user id with a valid access token, else the client IP
    (always the IP on `ANONYMOUS_PATHS`)."""
    client = scope.get("client")
    anonymous = Tier.ANONYMOUS, f"ip:{client[0] if client else 'unknown'}"
    if scope.get("path", "") in ANONYMOUS_PATHS:
        return anonymous
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                break
            try:
                claims = decode_token(
                    settings, token.strip(), expected_use=ACCESS_TOKEN, now=runtime.clock.now()
                )
            except InvalidToken:
                break
            tier = Tier.ADMIN if claims.role == Role.ADMIN.value else Tier.LEARNER
            return tier, f"user:{claims.user_id}"
    return anonymous


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
        tier, identity = caller_of(scope, runtime.settings, runtime)
        try:
            decision = await limiter.hit(tier, identity)
        except Exception:  # a broken counter store must not take the API down: fail open
            log.exception("rate-limit storage unavailable; request allowed")
            await self.app(scope, receive, send)
            return
        if not decision.allowed:
            response = problem_response(
                429,
                "rate-limited",
                f"Too many requests in a short time: wait {decision.reset_seconds} seconds, "
                "then try again.",
                instance=scope["path"],
                headers={"Retry-After": str(decision.reset_seconds)},
                limit=decision.limit,
                tier=tier.value,
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


def stop_rate_limiter(limiter: RequestLimiter) -> None:
    timer = getattr(getattr(limiter, "storage", None), "timer", None)
    if timer is not None:  # MemoryStorage's expiry task; Redis counters simply outlive us
        timer.cancel()
