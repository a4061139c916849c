"""WebSocket `/api/v1/ws`: live quotes, bars, volatility, breakers and the caller's own updates.

Protocol (JSON text frames):
- authenticate with `?token=<access token>` or a first message `{"type": "auth", "token": …}`;
- `{"type": "subscribe", "channels": ["quotes:SPX", "orders"]}` / `"unsubscribe"`;
- `{"type": "ping"}` gets `{"type": "pong"}`; the server sends `{"type": "heartbeat"}` every
  `HEARTBEAT_SECONDS`; messages arrive as `{"type": "message", "channel": …, "data": …}`.
Close codes: 4401 bad token (also when a logout or password change revokes the token of an open
socket), 4400 bad message, 4408 no auth in time, 4429 too slow a reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from keel.server.auth.revocation import access_denylist
from keel.server.auth.service import user_from_access_token
from keel.server.auth.tokens import ACCESS_TOKEN, TokenClaims, decode_token
from keel.server.errors import ProblemError
from keel.server.market.component import get_feed
from keel.server.metrics import WS_CONNECTIONS
from keel.server.pubsub import encode
from keel.server.realtime.hub import ClientQueue, resolve_channel
from keel.server.realtime.runtime import get_hub
from keel.server.runtime import Runtime

router = APIRouter(tags=["realtime"])

HEARTBEAT_SECONDS = 15.0
AUTH_TIMEOUT_SECONDS = 10.0
MAX_SUBSCRIPTIONS = 200


async def _authenticate(websocket: WebSocket, runtime: Runtime) -> TokenClaims | None:
    """The claims of the caller's access token, or None after closing the socket with the
    reason."""
    token = websocket.query_params.get("token")
    if not token:
        try:
            first = await asyncio.wait_for(websocket.receive_json(), AUTH_TIMEOUT_SECONDS)
        except (TimeoutError, ValueError, KeyError):
            await websocket.close(code=4408, reason="send an auth message first")
            return None
        token = (
            first.get("token") if isinstance(first, dict) and first.get("type") == "auth" else None
        )
    if not isinstance(token, str) or not token:
        await websocket.close(code=4401, reason="an access token is required")
        return None
    try:
        async with runtime.sessionmaker() as session:
            settings, denylist, now = (
                runtime.settings,
                access_denylist(runtime),
                runtime.clock.now(),
            )
            await user_from_access_token(session, settings, denylist, token, now=now)
            return decode_token(settings, token, expected_use=ACCESS_TOKEN, now=now)
    except ProblemError as error:
        await websocket.close(code=4401, reason=error.detail[:120])
    return None


async def _writer(websocket: WebSocket, client: ClientQueue) -> None:
    while True:
        batch = await client.next_batch()
        if client.revoked is not None:
            await websocket.close(code=4401, reason=client.revoked[:120])
            return
        if client.overflowed:
            await websocket.close(code=4429, reason="reader too slow; reconnect")
            return
        for channel, data in batch:
            await websocket.send_text(encode({"type": "message", "channel": channel, "data": data}))


async def _heartbeat(websocket: WebSocket, runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        feed = get_feed(runtime)
        market_time = feed.market_time.isoformat() if feed.market_time else None
        await websocket.send_text(encode({"type": "heartbeat", "market_time": market_time}))


def _handle(
    message: Any, client: ClientQueue, user_id: str, runtime: Runtime
) -> dict[str, Any] | None:
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return {"type": "error", "detail": "messages are JSON objects with a `type`"}
    kind = message["type"]
    if kind == "ping":
        return {"type": "pong"}
    if kind not in ("subscribe", "unsubscribe"):
        return {"type": "error", "detail": f"unknown message type {kind!r}"}
    names = message.get("channels")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return {"type": "error", "detail": "`channels` must be a list of channel names"}

    def known(scenario_id: str, symbol: str) -> bool:
        live = runtime.scenarios.get(scenario_id)
        return live is not None and (not symbol or live.feed.instrument(symbol) is not None)

    accepted, refused = [], []
    for name in names:
        channel = resolve_channel(name, user_id, known)
        if channel is None:
            refused.append(name)
        elif kind == "subscribe" and len(client.channels) < MAX_SUBSCRIPTIONS:
            client.channels.add(channel)
            accepted.append(name)
        elif kind == "unsubscribe":
            client.channels.discard(channel)
            accepted.append(name)
        else:
            refused.append(name)
    return {"type": f"{kind}d", "channels": accepted, "refused": refused}


@router.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    runtime: Runtime = websocket.app.state.runtime
    await websocket.accept()
    claims = await _authenticate(websocket, runtime)
    if claims is None:
        return
    user_id = claims.user_id
    hub = get_hub(runtime)
    client = hub.connect(user_id=user_id, jti=claims.jti, version=claims.version)
    WS_CONNECTIONS.inc()
    tasks = [
        asyncio.create_task(_writer(websocket, client)),
        asyncio.create_task(_heartbeat(websocket, runtime)),
    ]
    try:
        await websocket.send_text(encode({"type": "welcome", "user_id": user_id}))
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            reply = _handle(message, client, user_id, runtime)
            if reply is not None:
                await websocket.send_text(encode(reply))
            if any(task.done() for task in tasks):
                break
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.disconnect(client)
        WS_CONNECTIONS.dec()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
