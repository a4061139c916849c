"""Every message the socket sends matches its model in `keel.server.realtime.messages`, carries
`sent_at`, and the models are in the OpenAPI document for the web app's generated client."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import websockets
from httpx import AsyncClient

from keel.server.breakers.publishing import volatility_message
from keel.server.breakers.startup import get_risk
from keel.server.market.component import get_feed
from keel.server.realtime.messages import SERVER_MESSAGE
from keel.server.realtime.payloads import BarData, ClockData, QuoteData, VolatilityData
from keel.server.runtime import Runtime
from keel.server.scenarios.live import clock_message
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place
from tests.integration.realtime.live import live_server

EVERYTHING = [
    "quotes:SPX",
    "bars:SPX",
    "clock",
    "breakers",
    "volatility",
    "orders",
    "accounts",
    "notifications",
]


async def _drain(ws: Any, into: list[dict[str, Any]], seconds: float = 0.5) -> None:
    """Read what arrives until the socket is quiet for `seconds`."""
    while True:
        try:
            into.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=seconds)))
        except TimeoutError:
            return


async def test_every_message_matches_its_model(client: AsyncClient, runtime: Runtime) -> None:
    guardian, minor = await linked_family(client)
    admin = await create_admin(client, runtime)
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    minor_account = (await open_account(client, minor, starting_cash="5000"))["id"]
    received: list[dict[str, Any]] = []
    async with live_server(runtime) as url:
        sockets = [
            await websockets.connect(f"{url}?token={u.access_token}") for u in (user, guardian)
        ]
        try:
            for ws in sockets:
                await ws.send(json.dumps({"type": "subscribe", "channels": EVERYTHING}))
                await ws.send(json.dumps({"type": "ping"}))
                await ws.send(json.dumps({"type": "nonsense"}))
            feed = get_feed(runtime)
            for _ in range(runtime.settings.replay_ticks_per_bar + 1):  # through a day's close
                await feed.step()
            assert (await place(client, user, account_id, quantity="1")).status_code == 201
            assert (
                await place(client, minor, minor_account, symbol="GOOG", quantity="1")
            ).status_code == 201
            halt = await client.post(
                "/api/v1/admin/breakers/halt",
                json={"scope": "symbol", "symbol": "IXIC", "reason": "a test"},
                headers=admin.headers,
            )
            assert halt.status_code == 200, halt.text
            for ws in sockets:
                await _drain(ws, received)
        finally:
            for ws in sockets:
                await ws.close()
    before = datetime.now(UTC)
    for message in received:
        parsed = SERVER_MESSAGE.validate_python(message)  # fails on any field out of its model
        assert parsed.sent_at <= before
    kinds = {m.get("kind") or m["type"] for m in received}
    expected = {"welcome", "subscribed", "pong", "error", "quote", "bar", "breaker"}
    assert expected | {"order", "account", "notification"} <= kinds, kinds
    notes = [m["data"]["type"] for m in received if m.get("kind") == "notification"]
    assert "approval_requested" in notes


def test_payload_builders_match_their_models(runtime: Runtime) -> None:
    feed = get_feed(runtime)
    quote = feed.latest_quote("SPX")
    assert quote is not None
    from keel.server.market.feed import quote_message

    QuoteData.model_validate(quote_message(quote))
    ClockData.model_validate(clock_message("default", feed))
    for tracker in get_risk(runtime).trackers.values():
        VolatilityData.model_validate(volatility_message(tracker))
    assert BarData.model_fields.keys() == {
        "symbol",
        "time",
        "open",
        "high",
        "low",
        "close",
        "volume",
    }


async def test_openapi_lists_every_message_model(client: AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    for name in (
        "QuoteMessage",
        "BarMessage",
        "ClockMessage",
        "BreakerMessage",
        "VolatilityMessage",
        "OrderMessage",
        "AccountMessage",
        "NotificationMessage",
        "WelcomeMessage",
        "PongMessage",
        "HeartbeatMessage",
        "SubscriptionMessage",
        "ErrorMessage",
    ):
        assert name in schemas, name
        assert "sent_at" in schemas[name]["properties"], name
    described = await client.get("/api/v1/ws/messages")
    assert described.status_code == 200
    body = described.json()
    assert {c["kind"] for c in body["channels"]} >= {"quote", "order", "notification"}
    assert {e["type"] for e in body["examples"]} >= {"welcome", "pong", "heartbeat", "message"}
