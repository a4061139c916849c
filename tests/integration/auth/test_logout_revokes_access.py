"""Logout revokes the access token it is sent with, on every authenticated path and every replica."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
import websockets
from httpx import AsyncClient, Response

from keel.server.auth.revocation import MemoryAccessDenylist
from keel.server.runtime import Runtime
from tests.integration.auth.factories import (
    AuthedUser,
    create_user,
    http_client,
    login,
    runtime_with,
)
from tests.integration.orders.factories import open_account, place
from tests.integration.realtime.live import live_server


async def second_session(client: AsyncClient, user: AuthedUser) -> AuthedUser:
    """The same user logged in again (another device): its own access and refresh tokens."""
    tokens = await login(client, user.email, user.password)
    return AuthedUser(
        id=user.id,
        email=user.email,
        password=user.password,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def logout(client: AsyncClient, user: AuthedUser, headers: dict[str, str]) -> None:
    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": user.refresh_token}, headers=headers
    )
    assert response.status_code == 204, response.text


async def websocket_greeting(ws_url: str, token: str) -> str | int:
    """The first message's type after authenticating with `token`, or the close code."""
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code
    return str(message["type"])


def assert_unauthorized(response: Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/unauthorized")


async def assert_revoked_everywhere(
    client: AsyncClient, ws_url: str, revoked: AuthedUser, account_id: str
) -> None:
    me = await client.get("/api/v1/me", headers=revoked.headers)
    assert_unauthorized(me)
    assert "revoked" in me.json()["detail"]
    assert_unauthorized(await client.get("/api/v1/orders", headers=revoked.headers))
    assert_unauthorized(await place(client, revoked, account_id, quantity="1"))
    assert await websocket_greeting(ws_url, revoked.access_token) == 4401


async def assert_still_works(
    client: AsyncClient, ws_url: str, user: AuthedUser, account_id: str
) -> None:
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.status_code == 200 and me.json()["id"] == user.id
    placed = await place(client, user, account_id, quantity="1")
    assert placed.status_code == 201, placed.text
    assert await websocket_greeting(ws_url, user.access_token) == "welcome"


async def test_logout_revokes_the_callers_access_token_only(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    other_device = await second_session(client, user)
    someone_else = await create_user(client)
    account = await open_account(client, user)
    others_account = await open_account(client, someone_else)
    async with live_server(runtime) as ws_url:
        assert await websocket_greeting(ws_url, user.access_token) == "welcome"
        await logout(client, user, user.headers)
        await assert_revoked_everywhere(client, ws_url, user, account["id"])
        await assert_still_works(client, ws_url, other_device, account["id"])
        await assert_still_works(client, ws_url, someone_else, others_account["id"])
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}
    )
    assert refreshed.status_code == 401


@pytest.mark.parametrize(
    "bearer", [None, "forged", "eyJhbGciOiJub25lIn0.e30."], ids=["none", "forged", "alg-none"]
)
async def test_logout_without_a_valid_access_token_still_ends_the_refresh_family(
    client: AsyncClient, bearer: str | None
) -> None:
    user = await create_user(client)
    await logout(client, user, {"Authorization": f"Bearer {bearer}"} if bearer else {})
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": user.refresh_token}
    )
    assert refreshed.status_code == 401
    # Only an access token sent with the logout is revoked; this one was not.
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 200


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_logout_on_one_replica_is_refused_by_another_through_redis(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import redis.asyncio as aioredis

    async with (
        runtime_with(database_url, tmp_path_factory.mktemp("a"), redis_url=redis_url) as first,
        runtime_with(
            database_url, tmp_path_factory.mktemp("b"), empty=False, redis_url=redis_url
        ) as second,
        http_client(first) as client_a,
        http_client(second) as client_b,
        live_server(second) as ws_url_b,
    ):
        user = await create_user(client_a)
        other_device = await second_session(client_b, user)
        account = await open_account(client_a, user)
        assert (await client_b.get("/api/v1/me", headers=user.headers)).status_code == 200
        await logout(client_a, user, user.headers)
        await assert_revoked_everywhere(client_b, ws_url_b, user, account["id"])
        await assert_still_works(client_b, ws_url_b, other_device, account["id"])
        lifetime_ms = second.settings.access_token_minutes * 60 * 1000
    store = aioredis.Redis.from_url(redis_url)
    try:
        keys = [key async for key in store.scan_iter("keel:revoked-access:*")]
        assert len(keys) == 1, "one revoked token, one Redis key shared by every replica"
        assert 0 < await store.pttl(keys[0]) <= lifetime_ms
    finally:
        await store.aclose()


async def test_memory_denylist_keeps_a_token_only_while_it_could_work() -> None:
    denylist = MemoryAccessDenylist()
    now = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    await denylist.revoke("expired", expires_at=now, now=now)
    await denylist.revoke("short", expires_at=now + timedelta(minutes=1), now=now)
    await denylist.revoke("long", expires_at=now + timedelta(minutes=15), now=now)
    assert [await denylist.is_revoked(jti) for jti in ("expired", "short", "long")] == [
        False,
        True,
        True,
    ]
    later = now + timedelta(minutes=2)
    await denylist.revoke("new", expires_at=later + timedelta(minutes=15), now=later)
    assert not await denylist.is_revoked("short")  # pruned: it has expired by itself
    assert await denylist.is_revoked("long") and await denylist.is_revoked("new")
    assert len(denylist) == 2
