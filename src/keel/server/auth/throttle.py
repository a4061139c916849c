"""Login throttling per account and per client IP, with exponential backoff.

After `free_failures` failed logins for one key (an email or an IP) within `window_seconds`, the key is
locked for `base_delay × 2^(failures − free_failures)` seconds, capped at `max_delay`; a locked key is
refused with 429 and `Retry-After` before any password is checked. The account key is the email
together with the client IP (`account_key`), so failures by someone else never lock the owner out.
A successful sign-in clears the account key; with 2FA on, only the second step does (a right password alone clears nothing).

Wrong second-factor codes are counted per user (`second_factor_key`) on every endpoint that takes
one (the second login step, 2FA activation and disabling, new recovery codes, password change,
guardian approvals) under `SECOND_FACTOR_POLICY`: 5 free, then locks of 30 s, 60 s, 120 s …, so at
most `SECOND_FACTOR_GUESSES_PER_15_MINUTES` wrong codes per user in any 15 minutes.

Counters live in Redis when `KEEL_REDIS_URL` is set (shared by API replicas; keys under
`KEEL_REDIS_NAMESPACE`), in memory otherwise.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from keel.server.runtime import Runtime


@dataclass(frozen=True)
class BackoffPolicy:
    free_failures: int
    base_delay: float = 1.0
    max_delay: float = 15 * 60.0
    window_seconds: float = 15 * 60.0

    def lock_seconds(self, failures: int) -> float:
        """How long a key stays locked after its `failures`-th failure (0 = not locked)."""
        if failures < self.free_failures:
            return 0.0
        exponent = min(failures - self.free_failures, 30)
        return min(self.base_delay * 2.0**exponent, self.max_delay)


ACCOUNT_POLICY = BackoffPolicy(free_failures=5)
IP_POLICY = BackoffPolicy(free_failures=20)
SECOND_FACTOR_POLICY = BackoffPolicy(free_failures=5, base_delay=30.0)
SECOND_FACTOR_GUESSES_PER_15_MINUTES = 10
"""5 free guesses, then one after each lock of 30 + 60 + 120 + 240 s: the 10th waits 480 s more, past
the 15 minutes (`tests/unit/server/test_throttle_policy.py` proves the bound)."""


class LoginThrottle(Protocol):
    async def retry_after(self, keys: list[str]) -> float:
        """Seconds until every key in `keys` is unlocked (0 when none is locked)."""

    async def record_failure(self, key: str, policy: BackoffPolicy) -> None: ...

    async def clear(self, key: str) -> None: ...

    async def close(self) -> None: ...


class MemoryLoginThrottle:
    """In-process counters (one API process, or tests)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._failures: dict[str, tuple[int, float]] = {}  # key → (count, last failure)
        self._locked_until: dict[str, float] = {}

    async def retry_after(self, keys: list[str]) -> float:
        now = self._now()
        return max((self._locked_until.get(key, now) - now for key in keys), default=0.0)

    async def record_failure(self, key: str, policy: BackoffPolicy) -> None:
        now = self._now()
        count, last = self._failures.get(key, (0, now))
        count = count + 1 if now - last <= policy.window_seconds else 1
        self._failures[key] = (count, now)
        lock = policy.lock_seconds(count)
        if lock > 0:
            self._locked_until[key] = now + lock

    async def clear(self, key: str) -> None:
        self._failures.pop(key, None)
        self._locked_until.pop(key, None)

    async def close(self) -> None:
        self._failures.clear()
        self._locked_until.clear()


class RedisLoginThrottle:
    """Counters in Redis: `…:fail:<key>` counts failures, `…:lock:<key>` expires with the lock."""

    def __init__(self, redis: Any, namespace: str = "keel") -> None:
        self._redis = redis
        self._prefix = f"{namespace}:login"

    async def retry_after(self, keys: list[str]) -> float:
        ttls = [await self._redis.pttl(f"{self._prefix}:lock:{key}") for key in keys]
        return max((ttl / 1000 for ttl in ttls if ttl and ttl > 0), default=0.0)

    async def record_failure(self, key: str, policy: BackoffPolicy) -> None:
        fail_key = f"{self._prefix}:fail:{key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(fail_key)
            pipe.expire(fail_key, math.ceil(policy.window_seconds))
            count, _ = await pipe.execute()
        lock = policy.lock_seconds(int(count))
        if lock > 0:
            await self._redis.set(f"{self._prefix}:lock:{key}", "1", px=math.ceil(lock * 1000))

    async def clear(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}:fail:{key}", f"{self._prefix}:lock:{key}")

    async def close(self) -> None:
        await self._redis.aclose()


def account_key(email: str, ip: str) -> str:
    """The failures of one account *from one client IP*: someone guessing from elsewhere never
    locks the owner out (a lock on the email alone did); the IP key bounds a guesser across
    accounts, and second factors are counted per user whatever the IP."""
    return f"account:{email.strip().lower()}|{ip}"


def password_change_key(user_id: str) -> str:
    return f"password-change:{user_id}"


def second_factor_key(user_id: str) -> str:
    return f"2fa:{user_id}"


def ip_key(ip: str) -> str:
    return f"ip:{ip}"


def login_throttle(runtime: Runtime) -> LoginThrottle:
    if runtime.login_throttle is None:
        raise RuntimeError("the runtime has not started")
    return runtime.login_throttle


def build_login_throttle(redis_url: str | None, namespace: str = "keel") -> LoginThrottle:
    """Redis-backed when Redis is configured (shared by every replica), in memory otherwise."""
    if redis_url:
        from keel.server.redis_client import redis_client

        return RedisLoginThrottle(redis_client(redis_url), namespace)
    return MemoryLoginThrottle()
