"""Publish/subscribe for live updates: in-process by default, Redis when `KEEL_REDIS_URL` is set.

Channels are plain strings: `quotes:SPX`, `bars:SPX`, `volatility`, `breakers`, and per user
`orders:<user_id>`, `accounts:<user_id>`, `notifications:<user_id>`. Messages are JSON-able dicts.

Listeners are synchronous callables `listener(channel, message)` that must not block (the WebSocket
hub only puts the message on bounded per-client queues). With Redis, every process receives every
message through one pattern subscription, so API replicas fan out what the engine publishes.
Channels and keys live under `KEEL_REDIS_NAMESPACE` (default `keel:`).

`put_state(key, channel, message)` keeps the latest message under a key *and* publishes it (one
Redis transaction); `get_state(key)` reads it back. The engine shares its state with API replicas
this way (`keel.server.mirror`): a replica starts from the key and follows the channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from keel.server.runtime import Runtime

Message = dict[str, Any]
Listener = Callable[[str, Message], None]

log = structlog.get_logger(__name__)


def user_channel(kind: str, user_id: str) -> str:
    """The private channel of `kind` (`orders`, `accounts`, `notifications`) of one user."""
    return f"{kind}:{user_id}"


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def encode(message: Message) -> str:
    """JSON text of a message; Decimals become strings, datetimes ISO 8601."""
    return json.dumps(message, default=_default, separators=(",", ":"))


class PubSub(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, channel: str, message: Message) -> None: ...

    async def publish_many(self, messages: list[tuple[str, Message]]) -> None: ...

    def add_listener(
        self, listener: Listener, wants: Callable[[str], bool] | None = None
    ) -> Callable[[], None]: ...

    async def put_state(self, key: str, channel: str, message: Message) -> None: ...

    async def get_state(self, key: str) -> Message | None: ...


class _Listeners:
    def __init__(self) -> None:
        self._listeners: list[tuple[Listener, Callable[[str], bool] | None]] = []

    def add_listener(
        self, listener: Listener, wants: Callable[[str], bool] | None = None
    ) -> Callable[[], None]:
        """Register `listener` for the messages on channels `wants` accepts (every channel when
        None); returns a function that removes it. A message no listener wants is not decoded."""
        entry = (listener, wants)
        self._listeners.append(entry)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(entry)

        return remove

    def wanted(self, channel: str) -> bool:
        """Whether any listener wants messages on `channel`."""
        return any(wants is None or wants(channel) for _, wants in self._listeners)

    def dispatch(self, channel: str, message: Message) -> None:
        for listener, wants in list(self._listeners):
            if wants is not None and not wants(channel):
                continue
            try:
                listener(channel, message)
            except Exception:
                log.exception("pubsub listener failed", channel=channel)


class InProcessPubSub(_Listeners):
    """Delivers to this process's listeners, synchronously, in publish order."""

    def __init__(self) -> None:
        super().__init__()
        self._state: dict[str, str] = {}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, channel: str, message: Message) -> None:
        # Round-trip through JSON so listeners see exactly what Redis would deliver.
        if self.wanted(channel):
            self.dispatch(channel, json.loads(encode(message)))

    async def publish_many(self, messages: list[tuple[str, Message]]) -> None:
        for channel, message in messages:
            await self.publish(channel, message)

    async def put_state(self, key: str, channel: str, message: Message) -> None:
        """Keep `message` under `key` (this process only) and publish it on `channel`."""
        text = encode(message)
        self._state[key] = text
        self.dispatch(channel, json.loads(text))

    async def get_state(self, key: str) -> Message | None:
        """The message last kept under `key`, or None."""
        text = self._state.get(key)
        return None if text is None else dict(json.loads(text))


class RedisPubSub(_Listeners):
    """Publishes to Redis; one reader task per process delivers every `keel:*` message locally."""

    def __init__(self, url: str, namespace: str = "keel") -> None:
        super().__init__()
        import redis.asyncio as aioredis

        self.prefix = f"{namespace}:"

        from keel.server.redis_client import redis_options

        # Blocking reads: the reader waits on the pattern subscription as long as it is quiet.
        options = redis_options(blocking_reads=True)
        self._redis = aioredis.Redis.from_url(url, decode_responses=True, **options)
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._reader = asyncio.create_task(self._read(), name="keel-pubsub-reader")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        await self._redis.aclose()

    async def publish(self, channel: str, message: Message) -> None:
        await self._redis.publish(self.prefix + channel, encode(message))

    async def publish_many(self, messages: list[tuple[str, Message]]) -> None:
        """PUBLISH each message, in order, in one round trip (a pipeline, not a transaction)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, message in messages:
                pipe.publish(self.prefix + channel, encode(message))
            await pipe.execute()

    async def put_state(self, key: str, channel: str, message: Message) -> None:
        """SET `keel:<key>` and PUBLISH on `keel:<channel>` in one transaction (one round trip),
        so a reader that takes the key and then listens misses nothing in between."""
        text = encode(message)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self.prefix + key, text)
            pipe.publish(self.prefix + channel, text)
            await pipe.execute()

    async def get_state(self, key: str) -> Message | None:
        """The message last kept under `keel:<key>`, or None."""
        text = await self._redis.get(self.prefix + key)
        return None if text is None else dict(json.loads(text))

    async def _read(self) -> None:
        while True:
            subscription = self._redis.pubsub()
            try:
                await subscription.psubscribe(self.prefix + "*")
                self._ready.set()
                async for item in subscription.listen():
                    if item.get("type") != "pmessage":
                        continue
                    channel = str(item["channel"]).removeprefix(self.prefix)
                    if self.wanted(channel):
                        self.dispatch(channel, json.loads(item["data"]))
            except asyncio.CancelledError:
                await subscription.aclose()  # type: ignore[no-untyped-call]
                raise
            except Exception:
                log.exception("redis pubsub reader failed; reconnecting")
                await subscription.aclose()  # type: ignore[no-untyped-call]
                await asyncio.sleep(1.0)


_OUTBOX = "keel_outbox"
_PENDING: set[asyncio.Task[None]] = set()


def publish_after_commit(
    session: AsyncSession, pubsub: PubSub, channel: str, message: Message
) -> None:
    """Publish `message` once `session` commits (never for a transaction that rolls back)."""
    session.sync_session.info.setdefault(_OUTBOX, []).append((pubsub, channel, message))


@event.listens_for(Session, "after_commit")
def _flush_outbox(session: Session) -> None:
    outbox = session.info.pop(_OUTBOX, None)
    if not outbox:
        return
    loop = asyncio.get_running_loop()

    by_pubsub: dict[int, tuple[PubSub, list[tuple[str, Message]]]] = {}
    for pubsub, channel, message in outbox:
        by_pubsub.setdefault(id(pubsub), (pubsub, []))[1].append((channel, message))

    async def send() -> None:
        for pubsub, messages in by_pubsub.values():
            try:
                await pubsub.publish_many(messages)
            except Exception:
                log.exception("publish after commit failed", channels=len(messages))

    task = loop.create_task(send())
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


@event.listens_for(Session, "after_rollback")
def _drop_outbox(session: Session) -> None:
    session.info.pop(_OUTBOX, None)


def build_pubsub(redis_url: str | None, namespace: str = "keel") -> PubSub:
    """Redis pub/sub when a URL is given (channels and keys under `<namespace>:`), the
    in-process fallback otherwise."""
    return RedisPubSub(redis_url, namespace) if redis_url else InProcessPubSub()


def get_pubsub(runtime: Runtime) -> PubSub:
    """The runtime's pub/sub (started with the runtime)."""
    if runtime.pubsub is None:
        raise RuntimeError("the runtime has not started")
    return runtime.pubsub


async def start_pubsub(runtime: Runtime) -> PubSub:
    pubsub = build_pubsub(runtime.settings.redis_url, runtime.settings.redis_namespace)
    await pubsub.start()
    return pubsub
