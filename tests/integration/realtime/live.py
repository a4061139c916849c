"""A real uvicorn server for WebSocket clients, and a reader that waits for one message."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from keel.server.app import create_app
from keel.server.runtime import Runtime


@asynccontextmanager
async def live_server(runtime: Runtime) -> AsyncIterator[str]:
    """Serve the app on a free 127.0.0.1 port in this event loop; yields the WebSocket URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(runtime=runtime), host="127.0.0.1", port=port, lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn exposes a flag, not an event)
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}/api/v1/ws"
    finally:
        server.should_exit = True
        await task


async def receive_until(
    ws: Any, wanted: Callable[[dict[str, Any]], bool], limit: int = 500
) -> dict[str, Any]:
    """The first message `wanted` accepts among the next `limit` (each within 5 s)."""
    for _ in range(limit):
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        if wanted(message):
            return message
    raise AssertionError("the message never arrived")
