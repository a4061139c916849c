"""Pub/sub: the in-process fallback and Redis deliver the same JSON to every listener."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from keel.server.pubsub import InProcessPubSub, PubSub, RedisPubSub


async def roundtrip(pubsub: PubSub) -> list[tuple[str, Any]]:
    received: list[tuple[str, Any]] = []
    await pubsub.start()
    try:
        remove = pubsub.add_listener(lambda channel, message: received.append((channel, message)))
        await pubsub.publish("quotes:SPX", {"bid": Decimal("1.10"), "n": 1})
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.02)
        remove()
        await pubsub.publish("quotes:SPX", {"n": 2})
        await asyncio.sleep(0.1)
    finally:
        await pubsub.stop()
    return received


async def test_in_process_pubsub() -> None:
    assert await roundtrip(InProcessPubSub()) == [("quotes:SPX", {"bid": "1.10", "n": 1})]


async def test_redis_pubsub(redis_url: str) -> None:
    assert await roundtrip(RedisPubSub(redis_url)) == [("quotes:SPX", {"bid": "1.10", "n": 1})]
