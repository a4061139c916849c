"""The restore drill: a database busy with orders is backed up while the server runs
(deploy/backup/backup.sh, pg_dump), restored into a fresh database (restore.sh, pg_restore in
one transaction), `keel check` is clean on the copy and every order, fill and ledger row is
there."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from httpx import AsyncClient
from sqlalchemy.engine import make_url

from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("users", "paper_accounts", "orders", "order_events", "fills", "ledger_entries",
          "positions")  # fmt: skip


def run_tool(
    *command: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False,
        timeout=300, env=env,
    )  # fmt: skip


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as connection:
        return {
            table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
            for table in TABLES
        }


@pytest.mark.slow
async def test_a_busy_database_restores_whole_and_checks_clean(
    client: AsyncClient, runtime: Runtime, backend: str, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; an SQLite database is one file to copy")
    for tool in ("pg_dump", "pg_restore", "psql"):
        assert shutil.which(tool), f"{tool} is missing (Debian's postgresql-client)"
    users = [await create_user(client) for _ in range(4)]
    accounts = [(await open_account(client, user))["id"] for user in users]
    placed = await asyncio.gather(*(
        place(client, user, account, quantity=f"0.0{index + 1}")
        for index in range(5) for user, account in zip(users, accounts, strict=True)
    ))  # fmt: skip
    assert [response.status_code for response in placed] == [201] * 20
    source = make_url(runtime.settings.database_url)
    source_dsn = source.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "keel.dump"
    backed = await asyncio.to_thread(run_tool, ROOT / "deploy/backup/backup.sh", source_dsn, dump)
    assert backed.returncode == 0, backed.stderr
    assert dump.stat().st_size > 0 and "backup:" in backed.stdout
    target_name = f"keel_restore_{uuid.uuid4().hex[:8]}"
    admin = source.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    target_dsn = source.set(drivername="postgresql", database=target_name).render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restored = await asyncio.to_thread(
            run_tool, ROOT / "deploy/backup/restore.sh", dump, target_dsn
        )
        assert restored.returncode == 0, restored.stderr
        expected = counts(source_dsn)
        assert expected["fills"] >= 20 and expected["ledger_entries"] >= 24
        assert counts(target_dsn) == expected
        assert f"restored orders           {expected['orders']} rows" in restored.stdout
        env = {**os.environ, "KEEL_DATABASE_URL": target_dsn.replace("postgresql://",
               "postgresql+asyncpg://", 1), "KEEL_VAR_DIR": str(tmp_path / "var")}  # fmt: skip
        checked = await asyncio.to_thread(run_tool, ROOT / ".venv/bin/keel", "check", env=env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
