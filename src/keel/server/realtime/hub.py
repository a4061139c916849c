"""Fan-out of pub/sub messages to WebSocket clients, each behind its own bounded queue.

One pub/sub listener per process hands every message to the clients subscribed to its channel,
found through an index (channel → clients), never by scanning every client. The message is
encoded **once** into its text frame (`messages.channel_frame`, stamped with `sent_at`) and that
same string is queued for every subscriber. A client's quotes are *conflated*: only the latest
frame per quote channel waits to be sent, so a slow reader gets fewer, fresher quotes. Other
messages (orders, bars, breakers …) queue up to `MAX_QUEUED`; a client that falls that far behind
is disconnected. Nothing here ever awaits a client, so one slow socket never stalls the others. A
client whose access token is revoked (a logout, a password change; `TOKENS_REVOKED_CHANNEL`) is
disconnected too.

Each frame waits with the monotonic time the hub took its message off pub/sub, so the writer can
measure delivery (`keel_websocket_delivery_seconds`, the WebSocket delivery SLO's histogram);
conflated quotes and frames lost with a too-slow client are counted
(`keel_websocket_messages_total{outcome}`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Collection
from typing import NamedTuple

from keel.server.auth.revocation import TOKENS_REVOKED_CHANNEL
from keel.server.classes.board import CLASS_LEADERBOARD, class_channel
from keel.server.metrics import WS_CONFLATED, WS_DROPPED
from keel.server.pubsub import Message, PubSub
from keel.server.realtime.messages import channel_frame, sent_now
from keel.server.scenarios.channels import scenario_channel, split_channel

MAX_QUEUED = 1000
MAX_SUBSCRIPTIONS = 200
PUBLIC_CHANNELS = ("volatility", "breakers")
PRIVATE_KINDS = ("orders", "accounts", "notifications", "leaderboards")
SYMBOL_KINDS = ("quotes", "bars")


class Queued(NamedTuple):
    """A frame waiting for one client, and when the hub took its message (`time.monotonic()`)."""

    frame: str
    taken_at: float


class ClientQueue:
    """What is waiting to be sent to one client: encoded text frames."""

    def __init__(
        self, max_queued: int = MAX_QUEUED, *, user_id: str = "", jti: str = "", version: int = 0
    ) -> None:
        self.max_queued = max_queued
        self.user_id, self.jti, self.version = user_id, jti, version
        """Who connected, with which access token (its id and the user's token version)."""
        self.revoked: str | None = None
        """Why the client must go: its access token was revoked."""
        self.channels: set[str] = set()
        self._quotes: dict[str, Queued] = {}
        self._queue: deque[Queued] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False
        self.conflated = 0

    def offer(self, channel: str, frame: str, taken_at: float | None = None) -> None:
        """Take a frame without ever blocking (conflating quotes, dropping the client on overflow);
        `taken_at`: when the hub took the message (default: now)."""
        queued = Queued(frame, time.monotonic() if taken_at is None else taken_at)
        if channel.startswith("quotes:"):
            if channel in self._quotes:
                self.conflated += 1
                WS_CONFLATED.inc()
            self._quotes[channel] = queued
        elif self.overflowed or len(self._queue) >= self.max_queued:
            self.overflowed = True
            WS_DROPPED.inc()
        else:
            self._queue.append(queued)
        self._ready.set()

    def revoke(self, reason: str) -> None:
        """The client's token no longer holds: its writer closes the socket."""
        self.revoked = reason
        self._ready.set()

    async def next_batch(self) -> list[Queued]:
        """Wait for something to send; returns queued frames first, then the latest quotes."""
        await self._ready.wait()
        self._ready.clear()
        batch = list(self._queue)
        self._queue.clear()
        batch.extend(self._quotes.values())
        self._quotes.clear()
        return batch


class Hub:
    """Routes pub/sub messages to the subscribed clients of this process."""

    def __init__(self, pubsub: PubSub) -> None:
        self._clients: set[ClientQueue] = set()
        self._subscribers: dict[str, set[ClientQueue]] = {}
        self._remove_listener: Callable[[], None] = pubsub.add_listener(
            self._dispatch, wants=self._wanted
        )

    def connect(
        self, max_queued: int = MAX_QUEUED, *, user_id: str = "", jti: str = "", version: int = 0
    ) -> ClientQueue:
        client = ClientQueue(max_queued, user_id=user_id, jti=jti, version=version)
        self._clients.add(client)
        return client

    def subscribe(self, client: ClientQueue, channel: str) -> bool:
        """Send `channel`'s messages to `client`; False when it has too many subscriptions."""
        if channel not in client.channels and len(client.channels) >= MAX_SUBSCRIPTIONS:
            return False
        client.channels.add(channel)
        self._subscribers.setdefault(channel, set()).add(client)
        return True

    def unsubscribe(self, client: ClientQueue, channel: str) -> None:
        client.channels.discard(channel)
        subscribers = self._subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(client)
            if not subscribers:
                del self._subscribers[channel]

    def disconnect(self, client: ClientQueue) -> None:
        for channel in list(client.channels):
            self.unsubscribe(client, channel)
        self._clients.discard(client)

    def close(self) -> None:
        self._remove_listener()
        self._clients.clear()
        self._subscribers.clear()

    @property
    def connections(self) -> int:
        return len(self._clients)

    def connections_of(self, user_id: str) -> int:
        """Open sockets of one user in this process."""
        return sum(1 for client in self._clients if client.user_id == user_id)

    def _wanted(self, channel: str) -> bool:
        if channel == TOKENS_REVOKED_CHANNEL:
            return bool(self._clients)
        return channel in self._subscribers

    def _dispatch(self, channel: str, message: Message) -> None:
        if channel == TOKENS_REVOKED_CHANNEL:
            self._revoke(message)
            return
        subscribers = self._subscribers.get(channel)
        if not subscribers:
            return
        taken_at = time.monotonic()
        frame = channel_frame(channel, message, sent_now())
        for client in subscribers:
            client.offer(channel, frame, taken_at)

    def _revoke(self, message: Message) -> None:
        """Close the sockets opened with a token a logout or password change revoked."""
        user_id, jti, below = (
            message.get("user_id"),
            message.get("jti"),
            message.get("below_version"),
        )
        for client in self._clients:
            if client.user_id != user_id:
                continue
            if jti is not None and client.jti == jti:
                client.revoke("the access token was revoked by a logout; log in again")
            elif isinstance(below, int) and client.version < below:
                client.revoke(
                    "this sign-in was ended by a password change or by turning on two-step login; log in again"
                )


def resolve_channel(
    name: str,
    user_id: str,
    known_symbol: Callable[[str, str], bool],
    classes: Collection[str] = (),
) -> str | None:
    """The pub/sub channel behind a subscription name, or None when it is not allowed.

    `orders`, `accounts`, `notifications` and `leaderboards` (a teacher's classes) always mean
    the caller's own; `leaderboard:<class id>` needs a class in `classes` (those the caller
    studies in or teaches, `keel.server.classes.service.watchable`); `quotes:SYM` and
    `bars:SYM` need a symbol the scenario knows (`known_symbol(scenario_id, symbol)`); `clock` is
    the scenario clock (pause, speed, skip). A name ending in `@<scenario id>` is that scenario's
    (`quotes:SPX@<id>`, `breakers@<id>`, `clock@<id>`); without it, the default scenario's.
    """
    kind, _, class_id = name.partition(":")
    if kind == CLASS_LEADERBOARD:
        return class_channel(class_id) if class_id and class_id in classes else None
    base, scenario_id = split_channel(name)
    if base in PRIVATE_KINDS:
        return f"{base}:{user_id}" if "@" not in name else None
    if not known_symbol(scenario_id, ""):
        return None  # no such scenario here
    if base == "clock":
        return f"scenario:{scenario_id}"
    if base in PUBLIC_CHANNELS:
        return scenario_channel(scenario_id, base)
    kind, _, symbol = base.partition(":")
    if kind in SYMBOL_KINDS and symbol and known_symbol(scenario_id, symbol.upper()):
        return scenario_channel(scenario_id, f"{kind}:{symbol.upper()}")
    return None
