"""Over the WebSocket: the clock channel tells a pause at once, and another scenario's quotes
arrive on their own channel, never on the default's."""

from __future__ import annotations

import json

import websockets
from httpx import AsyncClient

from keel.server.runtime import Runtime
from keel.server.scenarios.launcher import store_clocks
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.realtime.live import live_server, receive_until


async def test_the_clock_and_a_second_scenario_over_the_websocket(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    created = await client.post(
        "/api/v1/scenarios",
        json={"name": "2002", "start_date": "2002-07-01", "universe": ["SPX"]},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    other = created.json()["id"]
    learner = await create_user(client)
    async with live_server(runtime) as url, websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": learner.access_token}))
        await receive_until(ws, lambda m: m["type"] == "welcome")
        wanted = ["clock", "quotes:SPX", f"quotes:SPX@{other}", f"quotes:GOOG@{other}"]
        await ws.send(json.dumps({"type": "subscribe", "channels": wanted}))
        ack = await receive_until(ws, lambda m: m["type"] == "subscribed")
        assert ack["channels"] == wanted[:3] and ack["refused"] == [f"quotes:GOOG@{other}"]

        await runtime.scenarios[other].feed.step()
        quote = await receive_until(ws, lambda m: m.get("channel", "").startswith("quotes:"))
        assert quote["channel"] == f"quotes:SPX@{other}"
        assert quote["data"]["time"].startswith("2002-07-01")

        paused = await client.patch(
            f"/api/v1/scenarios/{DEFAULT_SCENARIO_ID}/clock",
            json={"paused": True},
            headers=admin.headers,
        )
        assert paused.status_code == 200, paused.text
        clock = await receive_until(ws, lambda m: m.get("channel") == "scenario:default")
        assert clock["data"]["paused"] is True and clock["data"]["type"] == "clock"


async def test_a_new_market_day_is_announced_on_the_clock_channel_once(
    client: AsyncClient, runtime: Runtime
) -> None:
    learner = await create_user(client)
    live = runtime.scenarios[DEFAULT_SCENARIO_ID]
    async with live_server(runtime) as url, websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": learner.access_token}))
        await receive_until(ws, lambda m: m["type"] == "welcome")
        await ws.send(json.dumps({"type": "subscribe", "channels": ["clock"]}))
        await receive_until(ws, lambda m: m["type"] == "subscribed")

        await live.feed.advance_to(live.feed.position + 1)
        await store_clocks(runtime)
        day = str(live.feed.market_date)
        # The runtime's own supervisor may have announced the first day already: read up to ours.
        first = await receive_until(
            ws,
            lambda m: m.get("channel") == "scenario:default" and m["data"]["market_date"] == day,
        )

        await live.feed.step()  # the same market day: stored, not announced again
        await store_clocks(runtime)
        await live.feed.advance_to(live.feed.position + 1)
        await store_clocks(runtime)
        second = await receive_until(ws, lambda m: m.get("channel") == "scenario:default")
        assert second["data"]["market_date"] > first["data"]["market_date"]  # never the same twice
        assert second["data"]["market_date"] == str(live.feed.market_date)
