"""The WebSocket hub of the runtime (built after pub/sub, `keel.server.lifespan`)."""

from __future__ import annotations

from keel.server.realtime.hub import Hub
from keel.server.runtime import Runtime


def get_hub(runtime: Runtime) -> Hub:
    if runtime.hub is None:
        raise RuntimeError("the runtime has not started")
    return runtime.hub
