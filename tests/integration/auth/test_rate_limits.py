"""Tiered rate limits: headers on every response, 429 problem+json with Retry-After, per-user keys."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from httpx import AsyncClient
from redis.asyncio import Redis

from tests.integration.auth.factories import client_with, create_user
from tests.integration.orders.factories import open_account, place

SMALL = {
    "rate_limit_anonymous": "3/minute",
    "rate_limit_learner": "5/minute",
    "rate_limit_admin": "50/minute",
}


async def test_every_api_response_carries_ratelimit_headers(client: AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["ratelimit-limit"] == "60"
    assert response.headers["ratelimit-remaining"] == "59"
    assert 1 <= int(response.headers["ratelimit-reset"]) <= 60
    health = await client.get("/healthz")
    assert "ratelimit-limit" not in health.headers


async def test_anonymous_callers_get_429_past_their_tier(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    async with client_with(database_url, tmp_path_factory.mktemp("var"), **SMALL) as client:
        statuses = [(await client.get("/api/v1/me")).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        refused = await client.get("/api/v1/me")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/rate-limited")
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.headers["ratelimit-remaining"] == "0"
        assert refused.headers["ratelimit-limit"] == "3"


async def test_authenticated_users_are_counted_apart_from_their_ip(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    overrides = {**SMALL, "rate_limit_anonymous": "10/minute"}
    async with client_with(database_url, tmp_path_factory.mktemp("var"), **overrides) as client:
        alice = await create_user(client)
        bob = await create_user(client)
        alice_statuses = [
            (await client.get("/api/v1/me", headers=alice.headers)).status_code for _ in range(6)
        ]
        assert alice_statuses == [200] * 5 + [429]
        bob_me = await client.get("/api/v1/me", headers=bob.headers)
        assert bob_me.status_code == 200
        assert bob_me.headers["ratelimit-limit"] == "5"
        assert bob_me.headers["ratelimit-remaining"] == "4"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_limits_are_shared_through_redis(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Two API replicas (two runtimes) on one Redis share a user's budget."""
    var = tmp_path_factory.mktemp("var")
    async with client_with(database_url, var, redis_url=redis_url, **SMALL) as first:
        user = await create_user(first)
        for _ in range(3):
            assert (await first.get("/api/v1/me", headers=user.headers)).status_code == 200
        async with client_with(
            database_url, var, empty=False, redis_url=redis_url, **SMALL
        ) as second:
            statuses = [
                (await second.get("/api/v1/me", headers=user.headers)).status_code for _ in range(3)
            ]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_an_authenticated_request_asks_redis_once(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The rate limit's count and whether a logout revoked the token come back from one script
    call; the route's authentication asks neither again (seen through Redis's own MONITOR)."""
    var = tmp_path_factory.mktemp("var")
    async with client_with(database_url, var, redis_url=redis_url) as client:
        user = await create_user(client)
        account = await open_account(client, user)
        async with redis_commands(redis_url) as seen:
            me = await client.get("/api/v1/me", headers=user.headers)
            order = await place(client, user, account["id"], quantity="1")
        assert me.status_code == 200 and order.status_code == 201, order.text
    asked = [command for command in seen if "revoked-access:" in command]
    assert len(asked) == 2, seen  # one per request ...
    assert all(command.startswith("EVALSHA") and ":ratelimit:" in command for command in asked)
    assert not [c for c in seen if c.startswith("GET")], seen  # ... and no GET of the denylist


@asynccontextmanager
async def redis_commands(redis_url: str) -> AsyncIterator[list[str]]:
    """The commands clients sent to `redis_url`'s database while the block ran (MONITOR; the
    commands a script runs inside Redis are left out)."""
    store = Redis.from_url(redis_url)
    database = store.connection_pool.connection_kwargs.get("db", 0)
    seen: list[str] = []
    async with store.monitor() as monitor:
        await monitor.connect()

        async def record() -> None:
            async for entry in monitor.listen():
                if int(entry["db"]) == database and entry.get("client_type") != "lua":
                    seen.append(entry["command"])

        recording = asyncio.create_task(record())
        try:
            yield seen
            await asyncio.sleep(0.2)  # MONITOR's lines arrive after the replies
        finally:
            recording.cancel()
            await asyncio.gather(recording, return_exceptions=True)
    await store.aclose()


async def test_uploads_have_their_own_tier_per_user_on_top_of_the_users_own(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    overrides = {"rate_limit_learner": "50/minute", "rate_limit_upload": "2/minute"}
    csv = b"Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n2020-01-02,2,2,2,2\n"
    async with client_with(database_url, tmp_path_factory.mktemp("var"), **overrides) as client:
        alice = await create_user(client)
        bob = await create_user(client)

        async def upload(headers: dict[str, str], name: str) -> int:
            url = f"/api/v1/backtests/datasets/{name}"
            return (await client.put(url, content=csv, headers=headers)).status_code

        assert [await upload(alice.headers, f"a{n}.csv") for n in range(2)] == [201, 201]
        refused = await client.put(
            "/api/v1/backtests/datasets/a2.csv", content=csv, headers=alice.headers
        )
        assert refused.status_code == 429, refused.text
        assert refused.json()["type"].endswith("/rate-limited")
        assert refused.json()["tier"] == "upload"
        assert int(refused.headers["retry-after"]) >= 1
        # Nothing was stored for the refused file; the rest of the API still answers her.
        listed = await client.get("/api/v1/backtests/datasets", headers=alice.headers)
        assert sorted(item["name"] for item in listed.json()) == ["a0.csv", "a1.csv"]
        assert await upload(bob.headers, "b.csv") == 201  # counted per user
