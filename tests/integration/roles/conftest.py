"""A fresh PostgreSQL database per role test module, migrated, shared by its `keel serve` processes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from keel.server.db import create_engine
from keel.server.migrate import upgrade
from tests.integration.conftest import PG_URL, _unavailable


@pytest.fixture(scope="module")
async def roles_database() -> AsyncIterator[str]:
    """The async URL of a new, migrated PostgreSQL database (dropped afterwards)."""
    import psycopg

    base = make_url(PG_URL)
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"keel_roles_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        _unavailable("PostgreSQL", exc)
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=2)
    await upgrade(engine)
    await engine.dispose()
    yield url
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sync_dsn(async_url: str) -> str:
    """The psycopg DSN of an asyncpg SQLAlchemy URL."""
    return make_url(async_url).set(drivername="postgresql").render_as_string(hide_password=False)
