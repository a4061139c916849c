"""WebSocket: token auth, subscribe and receive quotes and own orders, never others' orders."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
import websockets
from httpx import AsyncClient

from keel.server.market.component import get_feed
from keel.server.realtime.hub import ClientQueue
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place
from tests.integration.realtime.live import live_server, receive_until


@pytest.fixture
async def ws_url(runtime: Runtime) -> AsyncIterator[str]:
    async with live_server(runtime) as url:
        yield url


async def test_bad_tokens_are_refused(ws_url: str) -> None:
    async with websockets.connect(ws_url + "?token=not-a-token") as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": "forged"}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_subscribe_to_quotes_and_own_orders(
    client: AsyncClient, runtime: Runtime, ws_url: str
) -> None:
    user = await create_user(client)
    other = await create_user(client)
    opened = await open_account(client, user)
    other_account = await open_account(client, other)
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": user.access_token}))
        welcome = json.loads(await ws.recv())
        assert welcome["type"] == "welcome" and welcome["user_id"] == user.id
        assert welcome.keys() == {"type", "user_id", "sent_at"}
        await ws.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "channels": ["quotes:SPX", "orders", "accounts", "quotes:NOPE"],
                }
            )
        )
        ack = await receive_until(ws, lambda m: m["type"] == "subscribed")
        assert ack["channels"] == ["quotes:SPX", "orders", "accounts"]
        assert ack["refused"] == ["quotes:NOPE"]
        await get_feed(runtime).step()
        quote = await receive_until(ws, lambda m: m.get("channel") == "quotes:SPX")
        assert quote["data"]["symbol"] == "SPX" and float(quote["data"]["ask"]) > 0
        await place(client, other, other_account["id"], quantity="1")
        await place(client, user, opened["id"], quantity="1")
        update = await receive_until(ws, lambda m: m.get("channel", "").startswith("orders:"))
        assert update["channel"] == f"orders:{user.id}"
        assert update["data"]["order"]["account_id"] == opened["id"]
        assert update["data"]["order"]["status"] == "filled"
        await ws.send(json.dumps({"type": "ping"}))
        assert (await receive_until(ws, lambda m: m["type"] == "pong"))["type"] == "pong"


def test_slow_client_gets_conflated_quotes_and_bounded_queue() -> None:
    client = ClientQueue(max_queued=3)
    for price in range(100):
        client.offer("quotes:SPX", f"quote {price}")
    for number in range(3):
        client.offer("orders:u", f"order {number}")
    assert not client.overflowed
    client.offer("orders:u", "order 3")
    assert client.overflowed
    batch = asyncio.run(client.next_batch())
    frames = [queued.frame for queued in batch]
    assert frames == ["order 0", "order 1", "order 2", "quote 99"]  # only the latest quote waited
    assert client.conflated == 99


async def test_logout_and_password_change_close_sockets_opened_with_revoked_tokens(
    client: AsyncClient, ws_url: str
) -> None:
    user = await create_user(client)
    second = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password}
    )
    other_token = second.json()["access_token"]  # the same user on another device

    async def opened(token: str) -> websockets.ClientConnection:
        ws = await websockets.connect(ws_url + "?token=" + token)
        assert json.loads(await ws.recv())["type"] == "welcome"
        return ws

    this_device, other_device = await opened(user.access_token), await opened(other_token)
    try:
        logout = await client.post(
            "/api/v1/auth/logout", json={"refresh_token": user.refresh_token}, headers=user.headers
        )
        assert logout.status_code == 204
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await receive_until(this_device, lambda m: False)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        assert "logout" in closed.value.rcvd.reason
        await other_device.send(json.dumps({"type": "ping"}))  # another token: still open
        assert (await receive_until(other_device, lambda m: m["type"] == "pong"))["type"] == "pong"
        changed = await client.post(
            "/api/v1/auth/password",
            headers={"Authorization": f"Bearer {other_token}"},
            json={"current_password": user.password, "new_password": "saffron-Kettle-77-drift"},
        )
        assert changed.status_code == 200, changed.text
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await receive_until(other_device, lambda m: False)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        assert "password" in closed.value.rcvd.reason
    finally:
        await this_device.close()
        await other_device.close()
