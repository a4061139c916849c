"""Starts the WebSocket hub with the runtime (after pub/sub)."""

from __future__ import annotations

from keel.server.pubsub import get_pubsub
from keel.server.realtime.hub import Hub
from keel.server.runtime import Runtime, on_start, on_stop


def get_hub(runtime: Runtime) -> Hub:
    hub: Hub = runtime.components["ws_hub"]
    return hub


@on_start(order=15)
async def _start_hub(runtime: Runtime) -> None:
    runtime.components["ws_hub"] = Hub(get_pubsub(runtime))


@on_stop(order=5)
async def _stop_hub(runtime: Runtime) -> None:
    hub = runtime.components.pop("ws_hub", None)
    if hub is not None:
        hub.close()
