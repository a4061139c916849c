"""Which backing service an error says is down: the request then gets 503 with Retry-After, not 500.

A PostgreSQL that is down shows up as a refused connection (a bare `OSError` from asyncpg's
connect), a connection SQLAlchemy marks invalidated, an asyncpg connection error (shutdown,
cannot connect now, too many connections), or an exhausted pool; Redis as redis-py's connection
or timeout errors. The cause chain is followed, since SQLAlchemy and FastAPI wrap errors.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

DATABASE = "the database"
REDIS = "Redis"
RETRY_AFTER_SECONDS = 5


def _causes(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending and len(seen) < 12:
        current = pending.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return seen


def _asyncpg_connection_error(error: BaseException) -> bool:
    try:
        from asyncpg import exceptions
    except ImportError:  # SQLite-only installs
        return False
    lost = (
        exceptions.PostgresConnectionError,
        exceptions.InterfaceError,  # "connection is closed"
        exceptions.AdminShutdownError,
        exceptions.CannotConnectNowError,
        exceptions.CrashShutdownError,
        exceptions.TooManyConnectionsError,
    )
    return isinstance(error, lost)


def unavailable_service(error: BaseException) -> str | None:
    """`DATABASE` or `REDIS` when `error` means that service cannot be reached, else None."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    for cause in _causes(error):
        if isinstance(cause, RedisConnectionError | RedisTimeoutError):
            return REDIS
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return DATABASE
        if isinstance(cause, PoolTimeoutError) or _asyncpg_connection_error(cause):
            return DATABASE
        if isinstance(cause, ConnectionError | TimeoutError):
            return DATABASE  # asyncpg's connect raises the socket's own error
    return None


def outage_detail(service: str) -> str:
    return (
        f"A service Keel depends on ({service}) is not answering; nothing was applied. "
        f"Try again in a few seconds."
    )
