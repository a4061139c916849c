"""Login throttling per account and per IP, with backoff; in memory and in Redis."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.integration.auth.factories import STRONG_PASSWORD, client_with, create_user, unique_email


async def _fail(client: AsyncClient, email: str) -> int:
    response = await client.post(
        "/api/v1/auth/login", json={"email": email, "password": "wrong-password-123"}
    )
    return response.status_code


async def _assert_account_throttled(client: AsyncClient) -> None:
    user = await create_user(client)
    statuses = [await _fail(client, user.email) for _ in range(5)]
    assert statuses == [401] * 5
    # Locked now: even the right password is refused before it is checked.
    locked = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": STRONG_PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    assert locked.json()["type"].endswith("/login-throttled")
    # Another account from the same IP is not locked by it.
    other = await create_user(client)
    assert other.access_token


async def test_account_is_locked_after_five_failures(client: AsyncClient) -> None:
    await _assert_account_throttled(client)


async def test_ip_is_locked_after_twenty_failures(client: AsyncClient) -> None:
    statuses = [await _fail(client, unique_email()) for _ in range(20)]
    assert statuses == [401] * 20
    blocked = await client.post(
        "/api/v1/auth/login", json={"email": unique_email(), "password": STRONG_PASSWORD}
    )
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_throttle_counters_live_in_redis_when_configured(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import redis.asyncio as aioredis

    async with client_with(
        database_url, tmp_path_factory.mktemp("var"), redis_url=redis_url
    ) as client:
        await _assert_account_throttled(client)
    store = aioredis.Redis.from_url(redis_url)
    try:
        locks = [key async for key in store.scan_iter("keel:login:lock:account:*")]
        assert locks, "the lock should be a Redis key shared by every API replica"
    finally:
        await store.aclose()
