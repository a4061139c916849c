"""TOTP secrets are stored sealed: unreadable in the database, opened by the listed keys only,
rotated by putting a new key first, and sealed by the migration when they were stored in plain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from httpx import AsyncClient
from sqlalchemy import text

from keel.server import sealing
from keel.server.db import create_engine
from keel.server.migrate import alembic_config, upgrade
from keel.server.runtime import Runtime
from keel.server.settings import Settings
from tests.integration.auth.factories import create_user

PLAIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def restore_keys() -> Iterator[None]:
    yield
    sealing.configure(sealing.DEV_ENCRYPTION_KEY)


async def test_an_enrolled_secret_is_sealed_in_the_database(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    secret = (await client.post("/api/v1/auth/2fa/enrol", headers=user.headers)).json()["secret"]
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(
            text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}
        )
    assert isinstance(stored, str) and secret not in stored and len(stored) > 100
    assert sealing.unseal(stored) == secret


def test_keys_rotate_and_a_foreign_token_fails_loudly(restore_keys: None) -> None:
    old, new = sealing.DEV_ENCRYPTION_KEY, Fernet.generate_key().decode()
    sealed_before = sealing.seal(PLAIN_SECRET)
    sealing.configure(f"{new},{old}")
    assert sealing.unseal(sealed_before) == PLAIN_SECRET  # the old key still opens
    sealed_after = sealing.seal(PLAIN_SECRET)
    sealing.configure(new)
    assert sealing.unseal(sealed_after) == PLAIN_SECRET  # written with the new key
    with pytest.raises(sealing.SealedValueError, match="KEEL_ENCRYPTION_KEYS"):
        sealing.unseal(sealed_before)


def test_settings_refuse_malformed_keys_and_the_development_key_in_production() -> None:
    with pytest.raises(ValueError, match="Fernet key"):
        Settings(encryption_keys="not-a-key")
    with pytest.raises(ValueError, match="KEEL_ENCRYPTION_KEYS"):
        Settings(
            environment="production",
            jwt_secret="x" * 40,
            encryption_keys=sealing.DEV_ENCRYPTION_KEY,
        )
    own = Fernet.generate_key().decode()
    assert Settings(environment="production", jwt_secret="x" * 40, encryption_keys=own)


async def test_the_migration_seals_plain_secrets_and_the_downgrade_opens_them(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{(tmp_path / 'migrate.db').as_posix()}"
    engine = create_engine(url, pool_size=1)
    try:
        await upgrade(engine, "0002")
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, date_of_birth, role, "
                    "password_hash, is_active, totp_secret, totp_enabled, token_version, "
                    "created_at) VALUES ('u1', 'a@example.com', 'A', '1980-01-01', 'learner', "
                    "'h', 1, :secret, 1, 0, '2026-01-01 00:00:00')"
                ),
                {"secret": PLAIN_SECRET},
            )
        await upgrade(engine)
        async with engine.connect() as connection:
            stored = await connection.scalar(text("SELECT totp_secret FROM users"))
        assert stored != PLAIN_SECRET and sealing.unseal(stored) == PLAIN_SECRET

        def downgrade(connection: object) -> None:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")

        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
            stored = await connection.scalar(text("SELECT totp_secret FROM users"))
        assert stored == PLAIN_SECRET
    finally:
        await engine.dispose()
