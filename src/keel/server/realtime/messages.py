"""Every message the WebSocket `/api/v1/ws` sends, as a Pydantic model, each built in one place.

The socket's own messages (`welcome`, `pong`, `heartbeat`, `subscribed` / `unsubscribed`,
`error`) are built here from their models. What is published on a channel arrives as a
`ChannelMessage` envelope: `{"type": "message", "kind": …, "channel": …, "sent_at": …, "data": …}`,
`kind` naming the channel's family (`quote`, `bar`, `clock`, `breaker`, `volatility`, `order`,
`account`, `notification`, `leaderboard`) and so the shape of `data` (its models: `realtime/payloads.py`). The
envelope is encoded once per published message, for all its subscribers (`channel_frame`), not
once per client.

Every message carries `sent_at`: the server's wall time when it sent it to the sockets (for a
channel message, when this process's hub took it from pub/sub: with Redis, after the hop from the
publishing process). `GET /api/v1/ws/messages` puts these models into the OpenAPI document, so the
web app's generated client has their types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, Field, TypeAdapter

from keel.server.classes.schemas import LeaderboardOut
from keel.server.realtime.payloads import (
    AccountData,
    BarData,
    BreakerTransitionData,
    ClockData,
    NotificationPayload,
    OrderData,
    QuoteData,
    VolatilityPayload,
)
from keel.server.scenarios.channels import split_channel

ChannelKind = Literal[
    "quote",
    "bar",
    "clock",
    "breaker",
    "volatility",
    "order",
    "account",
    "notification",
    "leaderboard",
]
KINDS: dict[str, ChannelKind] = {
    "quotes": "quote",
    "bars": "bar",
    "scenario": "clock",
    "breakers": "breaker",
    "volatility": "volatility",
    "orders": "order",
    "accounts": "account",
    "notifications": "notification",
    "leaderboards": "leaderboard",
    "leaderboard": "leaderboard",
}
"""Pub/sub channel family → the `kind` of its messages."""


def sent_now() -> str:
    """The server's wall time now, ISO 8601 with microseconds (UTC)."""
    return datetime.now(UTC).isoformat()


# ----- envelopes --------------------------------------------------------------------------------


class _Channel(BaseModel):
    type: Literal["message"] = "message"
    channel: str
    """The pub/sub channel, e.g. `quotes:SPX`, `orders:<user id>`, `breakers@<scenario id>`."""
    sent_at: datetime


class QuoteMessage(_Channel):
    kind: Literal["quote"]
    data: QuoteData


class BarMessage(_Channel):
    kind: Literal["bar"]
    data: BarData


class ClockMessage(_Channel):
    kind: Literal["clock"]
    data: ClockData


class BreakerMessage(_Channel):
    kind: Literal["breaker"]
    data: BreakerTransitionData


class VolatilityMessage(_Channel):
    kind: Literal["volatility"]
    data: VolatilityPayload


class OrderMessage(_Channel):
    kind: Literal["order"]
    data: OrderData


class AccountMessage(_Channel):
    kind: Literal["account"]
    data: AccountData


class NotificationMessage(_Channel):
    kind: Literal["notification"]
    data: NotificationPayload


class LeaderboardMessage(_Channel):
    """A class's leaderboard, recomputed at each market day's close: on the teacher's
    `leaderboards:<teacher id>` and on the class's `leaderboard:<class id>` (its students)."""

    kind: Literal["leaderboard"]
    data: LeaderboardOut


ChannelMessage = Annotated[
    QuoteMessage
    | BarMessage
    | ClockMessage
    | BreakerMessage
    | VolatilityMessage
    | OrderMessage
    | AccountMessage
    | NotificationMessage
    | LeaderboardMessage,
    Field(discriminator="kind"),
]


class WelcomeMessage(BaseModel):
    """Sent once the socket is authenticated."""

    type: Literal["welcome"] = "welcome"
    user_id: str
    sent_at: datetime


class PongMessage(BaseModel):
    type: Literal["pong"] = "pong"
    sent_at: datetime


class HeartbeatMessage(BaseModel):
    """Every 15 s, with the default scenario's market time."""

    type: Literal["heartbeat"] = "heartbeat"
    market_time: datetime | None
    sent_at: datetime


class SubscriptionMessage(BaseModel):
    """The answer to `subscribe` / `unsubscribe`: the names accepted and refused."""

    type: Literal["subscribed", "unsubscribed"]
    channels: list[str]
    refused: list[str]
    sent_at: datetime


class ErrorMessage(BaseModel):
    """A message the server could not understand, in plain words."""

    type: Literal["error"] = "error"
    detail: str
    sent_at: datetime


ServerMessage = (
    ChannelMessage
    | WelcomeMessage
    | PongMessage
    | HeartbeatMessage
    | SubscriptionMessage
    | ErrorMessage
)
"""Any message: tell them apart by `type`, then a channel message (`message`) by `kind` (one
discriminator over both would need `type` values to be unique, which OpenAPI's mapping requires)."""
SERVER_MESSAGE: TypeAdapter[Any] = TypeAdapter(ServerMessage)
"""Validates (and parses) any message the socket sends."""


# ----- building ---------------------------------------------------------------------------------


def kind_of(channel: str) -> ChannelKind | None:
    """The `kind` of a channel's messages (None for a channel the socket never carries)."""
    base, _ = split_channel(channel)
    return KINDS.get(base.partition(":")[0])


def channel_frame(channel: str, data: dict[str, Any], sent_at: str) -> str:
    """The text frame of a `ChannelMessage`: encoded once, sent to every subscriber."""
    envelope = {
        "type": "message",
        "kind": kind_of(channel),
        "channel": channel,
        "sent_at": sent_at,
        "data": data,
    }
    return orjson.dumps(envelope).decode()


def welcome(user_id: str) -> str:
    return WelcomeMessage(user_id=user_id, sent_at=datetime.now(UTC)).model_dump_json()


def pong() -> str:
    return PongMessage(sent_at=datetime.now(UTC)).model_dump_json()


def heartbeat(market_time: datetime | None) -> str:
    return HeartbeatMessage(market_time=market_time, sent_at=datetime.now(UTC)).model_dump_json()


def subscription(
    kind: Literal["subscribed", "unsubscribed"], accepted: list[str], refused: list[str]
) -> str:
    message = SubscriptionMessage(
        type=kind, channels=accepted, refused=refused, sent_at=datetime.now(UTC)
    )
    return message.model_dump_json()


def error(detail: str) -> str:
    return ErrorMessage(detail=detail, sent_at=datetime.now(UTC)).model_dump_json()
