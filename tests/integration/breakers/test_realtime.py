"""WebSocket channels `breakers` and `volatility`: a transition and a day's volatility arrive live."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import websockets
from httpx import AsyncClient

from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.realtime.live import live_server, receive_until


@pytest.fixture
async def ws_url(runtime: Runtime) -> AsyncIterator[str]:
    async with live_server(runtime) as url:
        yield url


async def test_transitions_and_volatility_are_pushed(
    client: AsyncClient, runtime: Runtime, ws_url: str
) -> None:
    learner = await create_user(client)
    admin = await create_admin(client, runtime)
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": learner.access_token}))
        await receive_until(ws, lambda m: m["type"] == "welcome")
        await ws.send(json.dumps({"type": "subscribe", "channels": ["breakers", "volatility"]}))
        ack = await receive_until(ws, lambda m: m["type"] == "subscribed")
        assert ack["channels"] == ["breakers", "volatility"]

        halted = await client.post(
            "/api/v1/admin/breakers/halt",
            json={"scope": "symbol", "symbol": "SPX", "reason": "news pending"},
            headers=admin.headers,
        )
        assert halted.status_code == 200, halted.text
        pushed = await receive_until(ws, lambda m: m.get("channel") == "breakers")
        transition = pushed["data"]["transition"]
        assert pushed["data"]["type"] == "breaker_transition"
        assert (transition["scope"], transition["scope_key"]) == ("symbol", "SPX")
        assert (transition["from_level"], transition["to_level"]) == ("CAUTIOUS", "CLOSED")
        assert transition["reason"] == "news pending"
        assert transition["breaker"] == "symbol breaker SPX"
        assert transition["lesson"] == "/api/v1/lessons/circuit-breakers"

        await get_feed(runtime).step_days(1)
        update = await receive_until(
            ws,
            lambda m: (
                m.get("channel") == "volatility"
                and m["data"]["type"] == "volatility"
                and m["data"]["symbol"] == "SPX"
            ),
        )
        assert update["data"]["as_of"] == "2008-09-02"
        assert update["data"]["regime"] in {"LOW", "NORMAL", "HIGH", "EXTREME"}
        assert update["data"]["estimators"]["ewma_094"] > 0
