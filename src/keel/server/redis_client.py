"""How every Redis client of the server is built: one place for timeouts and reconnection.

After Redis restarts, each pooled connection is dead; without a check, the first command on each
failed and its request got a 503. A connection idle for `HEALTH_CHECK_SECONDS` is pinged before
use and replaced when the ping fails, and a command that fails on a broken connection is retried
on a new one, so a Redis that is back answers the next request. `COMMAND_TIMEOUT_SECONDS` bounds a
command when Redis hangs instead of refusing (the caller answers 503 then, not never).
"""

from __future__ import annotations

from typing import Any

HEALTH_CHECK_SECONDS = 1
CONNECT_TIMEOUT_SECONDS = 2.0
COMMAND_TIMEOUT_SECONDS = 5.0
RETRIES = 2


def redis_options(*, blocking_reads: bool = False) -> dict[str, Any]:
    """Keyword arguments for `redis.asyncio.Redis.from_url` (and `limits`' Redis storage).
    `blocking_reads`: the client waits for pub/sub messages, so no read timeout."""
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    options: dict[str, Any] = {
        "health_check_interval": HEALTH_CHECK_SECONDS,
        "socket_connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), RETRIES),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError, ConnectionError, OSError],
    }
    if not blocking_reads:
        options["socket_timeout"] = COMMAND_TIMEOUT_SECONDS
    return options


def redis_client(url: str, **extra: Any) -> Any:
    """A `redis.asyncio.Redis` for `url` with the options above."""
    from redis.asyncio import Redis

    return Redis.from_url(url, **redis_options(), **extra)
