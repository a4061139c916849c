"""The WebSocket delivery SLO's metrics: every frame written is timed from when the hub took its
message (`keel_websocket_delivery_seconds`), and frames are counted by outcome
(`keel_websocket_messages_total`: sent, conflated, dropped)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest
import websockets
from httpx import AsyncClient

from keel.server.market.component import get_feed
from keel.server.metrics import REGISTRY
from keel.server.realtime.hub import ClientQueue
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.realtime.live import live_server, receive_until


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def sent() -> float:
    return sample("keel_websocket_messages_total", outcome="sent")


def delivered() -> float:
    return sample("keel_websocket_delivery_seconds_count")


@pytest.fixture
async def ws_url(runtime: Runtime) -> AsyncIterator[str]:
    async with live_server(runtime) as url:
        yield url


async def test_every_frame_written_is_timed_and_counted(
    client: AsyncClient, runtime: Runtime, ws_url: str
) -> None:
    user = await create_user(client)
    async with websockets.connect(f"{ws_url}?token={user.access_token}") as ws:
        await ws.send(json.dumps({"type": "subscribe", "channels": ["quotes:SPX"]}))
        await receive_until(ws, lambda m: m["type"] == "subscribed")
        before_sent, before_timed = sent(), delivered()
        before_seconds = sample("keel_websocket_delivery_seconds_sum")
        started = time.monotonic()
        await get_feed(runtime).step()
        await receive_until(ws, lambda m: m.get("channel") == "quotes:SPX")
        for _ in range(100):  # the writer observes right after its send returns
            if delivered() > before_timed:
                break
            await asyncio.sleep(0.01)
        waited = time.monotonic() - started
    frames = sent() - before_sent
    assert frames >= 1 and delivered() - before_timed == frames
    assert 0 <= sample("keel_websocket_delivery_seconds_sum") - before_seconds <= frames * waited


def test_conflated_quotes_and_frames_lost_with_a_slow_client_are_counted() -> None:
    conflated = sample("keel_websocket_messages_total", outcome="conflated")
    dropped = sample("keel_websocket_messages_total", outcome="dropped")
    client = ClientQueue(max_queued=2)
    for price in range(5):
        client.offer("quotes:SPX", f"quote {price}")
    for number in range(4):
        client.offer("orders:u", f"order {number}")
    assert client.overflowed
    assert sample("keel_websocket_messages_total", outcome="conflated") - conflated == 4
    assert sample("keel_websocket_messages_total", outcome="dropped") - dropped == 2
