"""The WebSocket's protocol as the REST API describes it (`GET /ws/messages`)."""

from __future__ import annotations

from pydantic import BaseModel

from keel.server.realtime.messages import ChannelKind, ServerMessage


class ChannelOut(BaseModel):
    """A subscription name and the `kind` of the messages it brings."""

    name: str
    """As sent in `subscribe`, e.g. `quotes:SPX`; `@<scenario id>` after it for another
    scenario's (`quotes:SPX@class-1`)."""
    kind: ChannelKind
    description: str


class WebSocketProtocolOut(BaseModel):
    """How to use `/api/v1/ws`, and one example of the messages it sends now. The schema of
    `examples` covers every message the socket can send (a union on `type`, channel messages on
    `kind`)."""

    url: str
    client_messages: list[str]
    """What a client may send: `{"type": "auth", "token": …}` (unless `?token=` is given),
    `subscribe` / `unsubscribe` with `channels`, and `ping`."""
    channels: list[ChannelOut]
    examples: list[ServerMessage]
