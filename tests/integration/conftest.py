"""Integration fixtures: the real server app on real PostgreSQL and on SQLite, Redis when asked.

Every test that uses `client` runs twice, once per database backend. Each pytest worker gets its own
PostgreSQL database (created and dropped here) and its own Redis database number; tables are emptied
between tests. Under `CI=true` an unreachable PostgreSQL or Redis fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from keel.server.app import create_app
from keel.server.db import create_engine
from keel.server.migrate import upgrade
from keel.server.models import Base
from keel.server.runtime import Runtime
from keel.server.settings import Environment, Settings

PG_URL = os.environ.get(
    "KEEL_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("KEEL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(what: str, exc: BaseException) -> None:
    message = f"{what} is not reachable ({exc}); start it or set KEEL_TEST_* URLs"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this worker, dropped afterwards."""
    import psycopg

    name = f"keel_test_{_worker()}_{uuid.uuid4().hex[:8]}"
    base = make_url(PG_URL)
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        _unavailable("PostgreSQL", exc)
    yield base.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis database number of this worker's own, emptied before use."""
    import redis

    # Two numbers per run; KEEL_TEST_REDIS_DB_BASE moves them when several runs share one Redis.
    base = int(os.environ.get("KEEL_TEST_REDIS_DB_BASE", "14"))
    number = base + int(_worker().removeprefix("gw") or 0) % 2
    url = make_url(REDIS_URL.replace("redis://", "redis+x://"))  # parse host/port only
    chosen = f"redis://{url.host or '127.0.0.1'}:{url.port or 6379}/{number}"
    try:
        client = redis.Redis.from_url(chosen)
        client.flushdb()
    except Exception as exc:
        _unavailable("Redis", exc)
    yield chosen
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "keel.db"
    return f"sqlite+aiosqlite:///{path.as_posix()}"


@pytest.fixture(scope="session", params=["postgresql", "sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
async def database_url(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """The backend's database, migrated once per session by the same Alembic scripts as production."""
    url = request.getfixturevalue("postgres_url" if backend == "postgresql" else "sqlite_url")
    engine = create_engine(url, pool_size=2)
    await upgrade(engine)
    await engine.dispose()
    yield url


def make_settings(database_url: str, var_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "var_dir": var_dir,
        "log_json": True,
        "log_level": "WARNING",
        "demo_users": False,
        # Tests step the replay by hand (`feed.step()`), so the background feed stays off.
        "replay_autostart": False,
        # Trading tests that are not about breakers trade through the 2008 crash replay, which
        # would halt or restrict them; the breaker tests switch to enforce themselves.
        "breaker_mode": "measure",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


async def _empty_tables(runtime: Runtime) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    if not tables:
        return
    async with runtime.database.begin() as connection:
        if connection.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            await connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
async def runtime(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Runtime]:
    """A started runtime on the test backend, with every table empty."""
    settings = make_settings(database_url, tmp_path_factory.mktemp("var"))
    active = Runtime.build(settings)
    await _empty_tables(active)
    await active.start()
    yield active
    await active.stop()


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[AsyncClient]:
    """An HTTP client talking to the real app in-process (ASGI), on the test backend."""
    app = create_app(runtime=runtime)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
