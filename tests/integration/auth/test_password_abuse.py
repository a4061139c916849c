"""Wrong current passwords are throttled like failed logins; someone else's failed logins never
lock the owner out; throttle and rate-limit keys live under `KEEL_REDIS_NAMESPACE`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.auth.throttle import ACCOUNT_POLICY
from keel.server.runtime import Runtime
from tests.integration.auth.factories import STRONG_PASSWORD, create_user, runtime_with


@asynccontextmanager
async def client_from(runtime: Runtime, ip: str) -> AsyncIterator[AsyncClient]:
    """An in-process client whose requests come from `ip`."""
    transport = ASGITransport(
        app=create_app(runtime=runtime), raise_app_exceptions=False, client=(ip, 40000)
    )
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_wrong_current_passwords_are_throttled(client: AsyncClient) -> None:
    user = await create_user(client)
    body = {"current_password": "not-my-password-at-all", "new_password": "copper-Lantern-19-mist"}
    statuses = [
        (await client.post("/api/v1/auth/password", headers=user.headers, json=body)).status_code
        for _ in range(ACCOUNT_POLICY.free_failures + 1)
    ]
    assert statuses == [403] * ACCOUNT_POLICY.free_failures + [429]
    right = {**body, "current_password": user.password}
    locked = await client.post("/api/v1/auth/password", headers=user.headers, json=right)
    assert locked.status_code == 429
    assert locked.json()["type"].endswith("/login-throttled")
    assert int(locked.headers["retry-after"]) >= 1


async def test_someone_elses_failed_logins_never_lock_the_owner_out(runtime: Runtime) -> None:
    async with client_from(runtime, "203.0.113.7") as owner_side:
        owner = await create_user(owner_side)
    async with client_from(runtime, "198.51.100.9") as attacker:
        answers = [
            await attacker.post(
                "/api/v1/auth/login", json={"email": owner.email, "password": "guess-" + str(n)}
            )
            for n in range(ACCOUNT_POLICY.free_failures + 1)
        ]
        assert [a.status_code for a in answers][-1] == 429  # the guesser is stopped
    async with client_from(runtime, "203.0.113.7") as owner_side:
        login = await owner_side.post(
            "/api/v1/auth/login", json={"email": owner.email, "password": STRONG_PASSWORD}
        )
    assert login.status_code == 200, login.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_throttle_and_rate_limit_keys_live_under_the_namespace(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import redis.asyncio as aioredis

    namespace = f"ns-{uuid.uuid4().hex[:8]}"
    async with (
        runtime_with(
            database_url,
            tmp_path_factory.mktemp("var"),
            redis_url=redis_url,
            redis_namespace=namespace,
        ) as runtime,
        client_from(runtime, "192.0.2.1") as client,
    ):
        await client.post(
            "/api/v1/auth/login", json={"email": "a@example.com", "password": "wrong-one"}
        )
    store = aioredis.Redis.from_url(redis_url)
    try:
        ours = [key.decode() async for key in store.scan_iter("*192.0.2.1*")]
    finally:
        await store.aclose()
    assert any(key.startswith(f"{namespace}:login:fail:") for key in ours), ours
    assert any(key.startswith(f"{namespace}:ratelimit") for key in ours), ours
    assert all(key.startswith(f"{namespace}:") for key in ours), ours
