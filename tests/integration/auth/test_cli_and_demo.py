"""`keel users create|list` and the demo users printed on first start (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from keel.cli import _register_commands, app
from keel.server.settings import get_settings
from tests.integration.auth.factories import client_with, login


async def test_demo_users_are_created_once_and_printed(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path_factory.mktemp("var")
    async with client_with(database_url, var, demo_users=True) as client:
        printed = capsys.readouterr().out
        credentials = dict(re.findall(r"│\s*\w+\s*│\s*(\S+@example\.com)\s*│\s*(\S+)\s*│", printed))
        assert set(credentials) == {
            "learner@example.com",
            "guardian@example.com",
            "minor@example.com",
            "admin@example.com",
        }
        tokens = {email: await login(client, email, pw) for email, pw in credentials.items()}
        guardian = {"Authorization": f"Bearer {tokens['guardian@example.com']['access_token']}"}
        minors = (await client.get("/api/v1/guardian/minors", headers=guardian)).json()
        assert [m["email"] for m in minors] == ["minor@example.com"]
        assert minors[0]["is_minor"] is True
        admin = {"Authorization": f"Bearer {tokens['admin@example.com']['access_token']}"}
        assert (await client.get("/api/v1/me", headers=admin)).json()["role"] == "admin"

    async with client_with(database_url, var, empty=False, demo_users=True):
        assert "example.com" not in capsys.readouterr().out  # never printed twice


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_creates_an_admin_and_enforces_the_policy(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path_factory.mktemp("var")
    monkeypatch.setenv("KEEL_DATABASE_URL", database_url)
    monkeypatch.setenv("KEEL_VAR_DIR", str(var))
    monkeypatch.setenv("KEEL_ENVIRONMENT", "test")
    get_settings.cache_clear()
    _register_commands()
    runner = CliRunner()
    try:
        asyncio.run(_empty(database_url, var))
        args = ["users", "create", "--email", "Root@Example.com", "--role", "admin"]
        args += ["--date-of-birth", "1980-02-02"]
        weak = runner.invoke(app, [*args, "--password", "password1234"])
        assert weak.exit_code == 1
        assert "most common passwords" in weak.output
        ok = runner.invoke(app, args, input="granite-Otter-58-lumen\ngranite-Otter-58-lumen\n")
        assert ok.exit_code == 0, ok.output
        listed = runner.invoke(app, ["users", "list"])
        assert "root@example.com" in listed.output and "admin" in listed.output
    finally:
        get_settings.cache_clear()
    assert asyncio.run(_role_after_login(database_url, var)) == "admin"


async def _empty(database_url: str, var: Path) -> None:
    async with client_with(database_url, var):
        pass


async def _role_after_login(database_url: str, var: Path) -> str:
    async with client_with(database_url, var, empty=False) as client:
        tokens = await login(client, "root@example.com", "granite-Otter-58-lumen")
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        role: str = me.json()["role"]
        return role


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_production_start_creates_no_demo_users(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from cryptography.fernet import Fernet

    from keel.server.auth import repository as users
    from keel.server.settings import Environment
    from tests.integration.auth.factories import runtime_with

    production = {
        "environment": Environment.PRODUCTION,
        "jwt_secret": "a-production-secret-of-more-than-32-characters",
        "encryption_keys": Fernet.generate_key().decode(),
        "demo_users": True,
    }
    var = tmp_path_factory.mktemp("var")
    async with runtime_with(database_url, var, **production) as rt, rt.sessionmaker() as session:
        assert await users.count_users(session) == 0
    assert "example.com" not in capsys.readouterr().out
