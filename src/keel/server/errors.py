"""Problem details (RFC 9457) for every error, with a stable `type`.

Domain errors carry a `code` and no HTTP status; the table here maps them to statuses once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from keel.domain.errors import DomainError
from keel.domain.money import plain_decimal
from keel.server.lessons.links import problem_links
from keel.server.outages import REDIS, RETRY_AFTER_SECONDS, outage_detail, unavailable_service

PROBLEM_PATH = "/problems/"
"""Problem types are relative URLs on this server: `/problems/<code>` serves a page saying what
happened and what to do (RFC 9457 allows a relative `type`; it resolves against the request's URL)."""
PROBLEM_JSON = "application/problem+json"

log = structlog.get_logger(__name__)


class ProblemError(Exception):
    """An error raised by the server shell with an explicit status and stable type code."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers
        self.extra = extra


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "not-found", f"This {what} does not exist, or it is not yours.")


# Every problem type the API sends, code → usual HTTP status: one table. Domain errors take their
# status from here (422 when a rule of the domain refused the input); every code has a page at
# `/problems/<code>` (keel.server.problems), and tests/integration/test_problem_docs.py fails for a
# code the source can send that is missing here or has no page.
PROBLEM_TYPES: dict[str, int] = {
    # requests and sign-in
    "validation-error": 422,
    "invalid-text": 422,
    "body-too-large": 413,
    "rate-limited": 429,
    "not-found": 404,
    "method-not-allowed": 405,
    "http-error": 400,
    "unauthorized": 401,
    "invalid-refresh-token": 401,
    "login-throttled": 429,
    "second-factor-throttled": 429,
    "wrong-password": 403,
    "weak-password": 422,
    "email-taken": 409,
    "invalid-date-of-birth": 422,
    "must-be-adult": 422,
    "second-factor-required": 403,
    "invalid-second-factor": 403,
    "two-factor-already-enabled": 409,
    "two-factor-not-enabled": 409,
    "two-factor-not-enrolled": 409,
    "admin-only": 403,
    "own-access": 409,
    "guardian-only": 403,
    "teacher-only": 403,
    "password-change-required": 403,
    # classes
    "invalid-roster": 422,
    "unknown-join-code": 404,
    "already-in-class": 409,
    "learners-only": 403,
    # guardians and approvals
    "minors-only": 403,
    "invalid-invitation": 404,
    "already-linked": 409,
    "guardians-full": 409,
    "guardian-required": 422,
    "trading-paused": 422,
    "guardian-order-limit": 422,
    "guardian-limit": 403,
    "guardian-rejected": 422,
    "not-pending-approval": 409,
    "approval-expired": 409,
    "minor-no-short": 422,
    "too-many-account-requests": 429,
    "request-not-pending": 409,
    # accounts, market data and orders
    "starting-cash-too-large": 422,
    "account-not-found": 404,
    "unknown-symbol": 422,
    "no-quote": 404,
    "market-data-stale": 503,
    "no-market-data": 422,
    "invalid-range": 422,
    "invalid-order": 422,
    "invalid-amount": 422,
    "invalid-quote": 422,
    "invalid-fill": 422,
    "order-not-found": 404,
    "order-not-cancellable": 409,
    "illegal-order-transition": 409,
    "order-rejected": 422,
    "order-gate-refused": 422,
    "insufficient-funds": 422,
    "insufficient-position": 422,
    "position-limit": 422,
    "domain-error": 422,
    # scenarios (markets with their own clock)
    "scenario-not-running": 409,
    "scenario-archived": 409,
    "invalid-start-date": 422,
    "unknown-dataset": 422,
    "invalid-dataset": 422,
    "invalid-speed": 422,
    "invalid-skip": 422,
    # circuit breakers
    "breaker-closed": 422,
    "breaker-restricted": 422,
    "breaker-cautious-cap": 422,
    "breaker-conflict": 409,
    "engine-unavailable": 503,
    # lessons
    "unknown-question": 422,
    "unknown-choice": 422,
    "lesson-required": 422,
    # feature flags and feedback
    "unknown-flag": 404,
    "unknown-variant": 422,
    "flags-managed-elsewhere": 409,
    "feature-not-enabled": 403,
    "feedback-state-too-large": 413,
    # backtests
    "too-many-backtests": 429,
    "backtest-not-finished": 409,
    "backtest-finished": 409,
    "backtest-results-gone": 410,
    "backtest-beyond-market-time": 422,
    "storage-quota-exceeded": 413,
    # the server itself
    "unavailable": 503,
    "not-ready": 503,
    "dependency-unavailable": 503,
    "internal-error": 500,
}


def problem_type(code: str) -> str:
    """The `type` of the problem `code`: the path of its page on this server."""
    return PROBLEM_PATH + code


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    if code not in PROBLEM_TYPES:
        log.error("problem type without a page", code=code)
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(problem_links(code))  # the teachable moment: the lesson (or word) explaining it
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return plain_decimal(value)  # never `1E+3`
    return str(value)


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": (
        "An RFC 9457 problem: `type` is stable and links to a page on this server "
        "(`/problems/<code>`) that explains it; `detail` says what happened and what to do, in "
        "plain words; `figures` holds the numbers behind it."
    ),
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "lesson": {
            "type": "string",
            "format": "uri-reference",
            "description": "The lesson that explains this problem (`/api/v1/lessons/<slug>`).",
        },
        "glossary": {
            "type": "string",
            "format": "uri-reference",
            "description": "The glossary entry that explains it, when no lesson does.",
        },
        "figures": {
            "type": "object",
            "description": "The numbers behind `detail`, by name, as plain decimal strings.",
            "additionalProperties": {"type": ["string", "number"]},
        },
    },
    "additionalProperties": True,
}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ValidationProblem",
    "description": "A problem naming every invalid field (`loc` is the path to it).",
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                            "msg": {"type": "string"},
                            "type": {"type": ["string", "null"]},
                        },
                    },
                }
            },
        },
    ],
}


def _problem_response(description: str, schema_name: str) -> dict[str, Any]:
    reference = {"$ref": f"#/components/schemas/{schema_name}"}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": reference}}}


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Describe the errors as they are sent: every operation may answer 4XX with problem+json, and
    its 422 is a ValidationProblem (FastAPI's default documents a JSON body we never send)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = _problem_response("Invalid fields", "ValidationProblem")
            responses["4XX"] = _problem_response("Refused request (problem details)", "Problem")
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's, now unreferenced
        schemas.pop(name, None)
    return document


def validation_detail(error: Mapping[str, Any]) -> str:
    """The first invalid field in words: `The field 'side' is not right: Input should be …`."""
    parts = [str(part) for part in error.get("loc", ()) if part not in {"body", "query", "path"}]
    where = ".".join(parts)
    if not where:
        return f"The request is not right: {error.get('msg', 'invalid request')}."
    if error.get("type") == "missing":
        return f"The field '{where}' is missing: add it and send again."
    if error.get("type") == "extra_forbidden":
        return f"The field '{where}' is not expected here: leave it out."
    return f"The field '{where}' is not right: {str(error.get('msg', '')).rstrip('.')}."


def _unavailable(request: Request, service: str) -> JSONResponse:
    return problem_response(
        503,
        "dependency-unavailable",
        outage_detail(service),
        instance=request.url.path,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register handlers so every error leaves as problem+json, and document it so in OpenAPI."""
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        return document_problems(generate_openapi())

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.code,
            exc.detail,
            title=exc.title,
            instance=request.url.path,
            headers=exc.headers,
            **_json_safe(exc.extra),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type")}
            for err in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request", "type": None}
        return problem_response(
            422,
            "validation-error",
            validation_detail(first),
            title="Your request has invalid fields",
            instance=request.url.path,
            errors=_json_safe(errors),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized"}.get(
            exc.status_code, "http-error"
        )
        return problem_response(
            exc.status_code,
            code,
            str(exc.detail),
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        # A rule of the pure core refused the request; its code is the stable problem type.
        status = PROBLEM_TYPES.get(exc.code, 422)
        extra = {k: v for k, v in vars(exc).items() if k not in {"message", "args"} and v != {}}
        return problem_response(
            status, exc.code, str(exc), instance=request.url.path, **_json_safe(extra)
        )

    async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Token revocation, throttling and pub/sub fail closed when Redis is gone: say so plainly.
        log.error("redis unavailable", path=request.url.path, error=str(exc))
        return _unavailable(request, REDIS)

    app.add_exception_handler(RedisConnectionError, _redis_unavailable)
    app.add_exception_handler(RedisTimeoutError, _redis_unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        service = unavailable_service(exc)
        if service is not None:  # PostgreSQL (or Redis) down: 503 and when to retry, not 500
            log.error("backing service unavailable", service=service, path=request.url.path)
            return _unavailable(request, service)
        log.exception("unhandled error", path=request.url.path)
        return problem_response(
            500,
            "internal-error",
            "Something went wrong on our side; the request was not applied. Try again.",
            instance=request.url.path,
        )
