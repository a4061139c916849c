"""Pure-ASGI middleware: request ids and access logs, latency metrics, request-body size limit,
and refusal of text no database can store."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keel.domain.money import format_quantity
from keel.server.errors import problem_response
from keel.server.metrics import HTTP_LATENCY

log = structlog.get_logger("keel.http")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")


def trace_context(header: bytes) -> dict[str, str]:
    """`trace_id` and `parent_span_id` of a W3C `traceparent` header, for the logs; nothing
    for a missing or malformed one (version ff, all-zero ids), as the spec asks."""
    match = _TRACEPARENT.fullmatch(header.decode("latin-1").strip().lower())
    if match is None:
        return {}
    version, trace_id, span_id, _flags = match.groups()
    if version == "ff" or trace_id == "0" * 32 or span_id == "0" * 16:
        return {}
    return {"trace_id": trace_id, "parent_span_id": span_id}


class RequestContextMiddleware:
    """Binds a request id to every log line, adds `X-Request-ID`, records latency by route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=request_id, **trace_context(headers.get(b"traceparent", b""))
        )
        started = time.perf_counter()
        status_holder: dict[str, int] = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            status = status_holder["status"]
            HTTP_LATENCY.labels(scope["method"], template, f"{status // 100}xx").observe(elapsed)
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )


@dataclass(frozen=True)
class LargerBody:
    """Requests that may carry more than the general limit: an uploaded file's route."""

    method: str
    path: re.Pattern[str]
    max_bytes: int


def size_for_people(count: int) -> str:
    """64 KB, 10 MB, 512 bytes: a size as a person reads it (1 KB is 1,024 bytes here)."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{format_quantity(Decimal(count / size).quantize(Decimal('0.1')))} {unit}"
    return f"{count} bytes"


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413 problem+json before the app reads them;
    the routes in `larger` have their own limit (uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: tuple[LargerBody, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger

    def _limit(self, scope: Scope) -> int:
        for route in self.larger:
            if scope["method"] == route.method and route.path.fullmatch(scope["path"]):
                return route.max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "body-too-large",
            f"The request is too big: at most {size_for_people(limit)} is accepted here. "
            "Send less data.",
            figures={"maximum_bytes": limit},
            instance=scope.get("path"),
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class UnstorableTextMiddleware:
    """Refuses NUL characters (in the path, the query or JSON strings) and unpaired UTF-16
    surrogates (in JSON strings) with 422 problem+json: PostgreSQL cannot store either, so without
    this a name like "a\\u0000b" reached the database and failed there with a 500.

    Runs inside `BodySizeLimitMiddleware`, so the JSON body it buffers is already bounded. Bodies
    without a `\\u` escape cannot hold either character in valid JSON and are not parsed here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            await _refuse_text(scope, receive, send, "the path or query contains a NUL character")
            return
        if not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if b"\\u" in body and _has_unstorable_text(body):
            await _refuse_text(
                scope,
                receive,
                send,
                "a text field contains a NUL character or an unpaired surrogate",
            )
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    content_type: bytes = dict(scope.get("headers") or []).get(b"content-type", b"")
    media_type = content_type.split(b";")[0].strip().lower()
    return media_type == b"application/json" or media_type.endswith(b"+json")


def _has_unstorable_text(body: bytes) -> bool:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return False  # not JSON: the app answers with its own problem
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return True
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a surrogate json.loads could not pair
                return True
    return False


async def _refuse_text(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    response = problem_response(
        422,
        "invalid-text",
        detail + "; remove it and send the request again",
        title="Your request has text that cannot be stored",
        instance=scope.get("path"),
    )
    await response(scope, receive, send)
