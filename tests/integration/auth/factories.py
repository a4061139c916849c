"""Users for integration tests: register, log in, authorise — through the real HTTP API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyotp
from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.runtime import Runtime
from tests.integration.conftest import _empty_tables, make_settings

STRONG_PASSWORD = "plum-Orbit-42-velvet"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def adult_birth_date() -> str:
    return "1988-04-12"


def minor_birth_date(age: int = 14) -> str:
    """A date of birth making the user `age` today (1 January of the right year)."""
    return date(datetime.now(UTC).year - age, 1, 1).isoformat()


@dataclass
class AuthedUser:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str
    guardian: AuthedUser | None = None
    """A minor's linked guardian (set by the family factories): opens the minor's accounts."""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(
    client: AsyncClient,
    *,
    email: str | None = None,
    password: str = STRONG_PASSWORD,
    display_name: str = "Ada Learner",
    date_of_birth: str | None = None,
    role: str = "learner",
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email or unique_email(role),
            "password": password,
            "display_name": display_name,
            "date_of_birth": date_of_birth or adult_birth_date(),
            "role": role,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(client: AsyncClient, email: str, password: str = STRONG_PASSWORD) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_user(
    client: AsyncClient,
    *,
    role: str = "learner",
    date_of_birth: str | None = None,
    password: str = STRONG_PASSWORD,
) -> AuthedUser:
    """Register and log in a user (no 2FA); `date_of_birth=minor_birth_date()` makes a minor."""
    profile = await register(client, role=role, date_of_birth=date_of_birth, password=password)
    tokens = await login(client, profile["email"], password)
    return AuthedUser(
        id=profile["id"],
        email=profile["email"],
        password=password,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


def totp_code(secret: str, offset_steps: int = 0) -> str:
    """The authenticator code `offset_steps` 30-second steps from now (the server accepts ±1).

    A server never accepts a step twice; tests use offsets -1, 0, +1 in that order to get three
    fresh codes without waiting.
    """
    return pyotp.TOTP(secret).at(datetime.now(UTC).timestamp() + 30 * offset_steps)


@asynccontextmanager
async def runtime_with(
    database_url: str, var_dir: Path, *, empty: bool = True, **overrides: object
) -> AsyncIterator[Runtime]:
    """A started runtime built with settings `overrides` (rate limits, Redis, demo users);
    `empty=False` keeps the rows already there (a second replica of the same deployment)."""
    runtime = Runtime.build(make_settings(database_url, var_dir, **overrides))
    if empty:
        await _empty_tables(runtime)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@asynccontextmanager
async def http_client(runtime: Runtime) -> AsyncIterator[AsyncClient]:
    """An in-process (ASGI) HTTP client on the app of `runtime`."""
    transport = ASGITransport(app=create_app(runtime=runtime), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@asynccontextmanager
async def client_with(
    database_url: str, var_dir: Path, *, empty: bool = True, **overrides: object
) -> AsyncIterator[AsyncClient]:
    """A client on `runtime_with(database_url, var_dir, empty=empty, **overrides)`."""
    async with (
        runtime_with(database_url, var_dir, empty=empty, **overrides) as runtime,
        http_client(runtime) as http,
    ):
        yield http
