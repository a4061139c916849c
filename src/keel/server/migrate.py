"""Alembic driven from code: `keel db upgrade` and the server's start both call `upgrade`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to `revision` on `engine`'s database."""

    def _upgrade(connection: object) -> None:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    if engine.dialect.name != "sqlite":
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade)
        return

    # SQLite alters a table by copying it into a new one and dropping the old (Alembic's batch
    # mode). With foreign keys on, that drop deletes every row that cascades from the table (an
    # account's ledger, positions, orders, limits…): they are off while migrating, on this
    # connection only, and the copied rows' references are checked before they come back on.
    # PRAGMA foreign_keys is ignored inside a transaction, so it goes to the driver directly.
    def _upgrade_sqlite(connection: Connection) -> list[Any]:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("PRAGMA foreign_keys=OFF")
        try:
            _upgrade(connection)
            cursor.execute("PRAGMA foreign_key_check")
            return list(cursor.fetchall())
        finally:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    async with engine.connect() as connection:
        broken = await connection.run_sync(_upgrade_sqlite)
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


def revision(url: str, message: str) -> None:
    """Autogenerate a new revision against the database at `url` (developers only)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
