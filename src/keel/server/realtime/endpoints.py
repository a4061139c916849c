"""WebSocket `/api/v1/ws`: live quotes, bars, volatility, breakers and the caller's own updates.

Protocol (JSON text frames):
- authenticate with `?token=<access token>` or a first message `{"type": "auth", "token": …}`;
- `{"type": "subscribe", "channels": ["quotes:SPX", "orders"]}` / `"unsubscribe"`;
- `{"type": "ping"}` gets `{"type": "pong"}`; the server sends `{"type": "heartbeat"}` every
  `HEARTBEAT_SECONDS`; messages arrive as `{"type": "message", "kind": …, "channel": …,
  "sent_at": …, "data": …}`. Every message the socket sends is a model of
  `keel.server.realtime.messages`, listed in the OpenAPI document by `GET /ws/messages`.
Limits: at most `KEEL_WS_MAX_SOCKETS_PER_USER` (5) open sockets per user in one process (4430 past it), and
handshakes counted per client IP against the anonymous rate-limit tier (4429 past it), so one
learner cannot open hundreds of sockets and slow everyone's fan-out.
Close codes: 4401 bad token (also when the token of an open socket expires, or a logout, a password
change or turning 2FA on revokes it), 4400 bad message, 4408 no auth in time, 4429 too slow a reader or too many handshakes, 4430 too many sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from keel.server.auth.revocation import access_denylist
from keel.server.auth.service import user_from_access_token
from keel.server.auth.tokens import ACCESS_TOKEN, TokenClaims, decode_token
from keel.server.classes import service as classes_service
from keel.server.classes.board import CLASS_LEADERBOARD
from keel.server.deps import RuntimeDep
from keel.server.errors import ProblemError
from keel.server.market.component import get_feed
from keel.server.market.feed import quote_message
from keel.server.metrics import WS_CONNECTIONS, WS_DELIVERY, WS_DROPPED, WS_SENT
from keel.server.outages import outage_detail, unavailable_service
from keel.server.ratelimit import Tier
from keel.server.realtime import messages
from keel.server.realtime.hub import ClientQueue, Hub, resolve_channel
from keel.server.realtime.messages import sent_now
from keel.server.realtime.runtime import get_hub
from keel.server.realtime.schemas import ChannelOut, WebSocketProtocolOut
from keel.server.runtime import Runtime

router = APIRouter(tags=["realtime"])

HEARTBEAT_SECONDS = 15.0
AUTH_TIMEOUT_SECONDS = 10.0
EXPIRY_CHECK_SECONDS = 1.0
"""How often an open socket compares its token's expiry with the runtime's clock."""
MAX_SUBSCRIPTIONS = 200
TRY_AGAIN_LATER = 1013
"""The WebSocket close code for a backing service out of reach (RFC 6455, 7.4.1)."""


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
    except Exception as error:
        service = unavailable_service(error)
        if service is None:
            raise
        # The database is out of reach (down, or out of connections): "try again later", as an
        # HTTP request gets 503 with Retry-After; the client's backoff reconnects.
        await websocket.close(code=TRY_AGAIN_LATER, reason=outage_detail(service)[:120])
    return None


async def _writer(websocket: WebSocket, client: ClientQueue) -> None:
    while True:
        batch = await client.next_batch()
        if client.revoked is not None:
            await websocket.close(code=4401, reason=client.revoked[:120])
            return
        if client.overflowed:
            WS_DROPPED.inc(len(batch))  # never sent: the client goes
            await websocket.close(code=4429, reason="reader too slow; reconnect")
            return
        for frame, taken_at in batch:
            await websocket.send_text(frame)
            WS_DELIVERY.observe(time.monotonic() - taken_at)
        WS_SENT.inc(len(batch))


async def _heartbeat(websocket: WebSocket, runtime: Runtime) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await websocket.send_text(messages.heartbeat(get_feed(runtime).market_time))


async def _expiry(client: ClientQueue, claims: TokenClaims, runtime: Runtime) -> None:
    """Close the socket when its access token expires: a token is a session's only proof, so a
    socket must not outlive it (the client reconnects with a refreshed token)."""
    while True:
        remaining = (claims.expires_at - runtime.clock.now()).total_seconds()
        if remaining <= 0:
            break
        # Polled, not slept once: the runtime's clock (not the event loop's) decides expiry.
        await asyncio.sleep(min(remaining, EXPIRY_CHECK_SECONDS))
    client.revoke("the access token expired; get a new one and reconnect")


async def _watchable_classes(runtime: Runtime, user_id: str, names: list[str]) -> set[str]:
    """The classes among `leaderboard:<class id>` names the user may follow (read only when asked)."""
    wanted = [
        name.partition(":")[2] for name in names if name.partition(":")[0] == CLASS_LEADERBOARD
    ]
    if not wanted:
        return set()
    async with runtime.sessionmaker() as session:
        return await classes_service.watchable(session, user_id, wanted)


async def _handle(
    message: Any, client: ClientQueue, hub: Hub, user_id: str, runtime: Runtime
) -> str:
    """The answer to one message from the client (a text frame)."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return messages.error("messages are JSON objects with a `type`")
    kind = message["type"]
    if kind == "ping":
        return messages.pong()
    if kind not in ("subscribe", "unsubscribe"):
        return messages.error(f"unknown message type {kind!r}")
    names = message.get("channels")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return messages.error("`channels` must be a list of channel names")

    def known(scenario_id: str, symbol: str) -> bool:
        live = runtime.scenarios.get(scenario_id)
        return live is not None and (not symbol or live.feed.instrument(symbol) is not None)

    if kind == "subscribe":
        classes = await _watchable_classes(runtime, user_id, names)
    else:  # leaving a class's board needs no check
        classes = {
            c.partition(":")[2] for c in client.channels if c.startswith(f"{CLASS_LEADERBOARD}:")
        }
    accepted, refused = [], []
    for name in names:
        channel = resolve_channel(name, user_id, known, classes)
        if channel is None:
            refused.append(name)
        elif kind == "subscribe" and hub.subscribe(client, channel):
            accepted.append(name)
        elif kind == "unsubscribe":
            hub.unsubscribe(client, channel)
            accepted.append(name)
        else:
            refused.append(name)
    return messages.subscription(
        "subscribed" if kind == "subscribe" else "unsubscribed", accepted, refused
    )


CHANNELS = [
    ChannelOut(name="quotes:<SYMBOL>", kind="quote", description="Every quote of the symbol."),
    ChannelOut(name="bars:<SYMBOL>", kind="bar", description="Each day's bar at its close."),
    ChannelOut(name="clock", kind="clock", description="The scenario clock: steps, pauses, skips."),
    ChannelOut(name="breakers", kind="breaker", description="Market and symbol breaker moves."),
    ChannelOut(
        name="volatility", kind="volatility", description="Regime changes, readings, anomalies."
    ),
    ChannelOut(name="orders", kind="order", description="Your orders as they change."),
    ChannelOut(name="accounts", kind="account", description="Your accounts' cash and equity."),
    ChannelOut(
        name="notifications",
        kind="notification",
        description="Approvals, guardians' decisions, backtests, your accounts' breakers.",
    ),
    ChannelOut(
        name="leaderboards",
        kind="leaderboard",
        description="Your classes' leaderboards (teachers), at each market day's close.",
    ),
    ChannelOut(
        name="leaderboard:<CLASS ID>",
        kind="leaderboard",
        description="One class's leaderboard, for its students and its teacher, at each market "
        "day's close.",
    ),
]


@router.get("/ws/messages", summary="The WebSocket's channels and the messages it sends")
async def websocket_messages(runtime: RuntimeDep) -> WebSocketProtocolOut:
    feed = get_feed(runtime)
    examples = [
        messages.welcome("<user id>"),
        messages.subscription("subscribed", ["quotes:SPX"], []),
        messages.heartbeat(feed.market_time),
        messages.pong(),
        messages.error("`channels` must be a list of channel names"),
    ]
    quote = feed.latest_quote("SPX")
    if quote is not None:
        examples.append(messages.channel_frame("quotes:SPX", quote_message(quote), sent_now()))
    return WebSocketProtocolOut(
        url="/api/v1/ws",
        client_messages=["auth", "subscribe", "unsubscribe", "ping"],
        channels=CHANNELS,
        examples=[messages.SERVER_MESSAGE.validate_json(text) for text in examples],
    )


async def _handshake_refused(websocket: WebSocket, runtime: Runtime) -> str | None:
    """Why this handshake is refused (too many from the client's IP), or None."""
    limiter = runtime.rate_limiter
    if limiter is None:
        return None
    ip = websocket.client.host if websocket.client else "unknown"
    try:
        decision = await limiter.hit(Tier.ANONYMOUS, f"ws:{ip}")
    except Exception:  # a broken counter store must not take sockets down: fail open
        return None
    if decision.allowed:
        return None
    return f"too many connection attempts: wait {decision.reset_seconds} seconds"


@router.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    runtime: Runtime = websocket.app.state.runtime
    await websocket.accept()
    refused = await _handshake_refused(websocket, runtime)
    if refused is not None:
        await websocket.close(code=4429, reason=refused)
        return
    claims = await _authenticate(websocket, runtime)
    if claims is None:
        return
    user_id = claims.user_id
    hub = get_hub(runtime)
    cap = runtime.settings.ws_max_sockets_per_user
    if hub.connections_of(user_id) >= cap:
        reason = f"at most {cap} live connections per person; close one first"
        await websocket.close(code=4430, reason=reason)
        return
    client = hub.connect(user_id=user_id, jti=claims.jti, version=claims.version)
    WS_CONNECTIONS.inc()
    tasks = [
        asyncio.create_task(_writer(websocket, client)),
        asyncio.create_task(_heartbeat(websocket, runtime)),
        asyncio.create_task(_expiry(client, claims, runtime)),
    ]
    try:
        await websocket.send_text(messages.welcome(user_id))
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            await websocket.send_text(await _handle(message, client, hub, user_id, runtime))
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
