"""Support for the OpenAPI sweep: a populated world, case generation and the response checks.

The sweep draws schemathesis cases (hypothesis under the hood, derandomized) for every operation of
the app's own OpenAPI document, sends them through the in-process ASGI app with httpx and validates
the responses with schemathesis' checks plus our problem+json contract.
"""

from __future__ import annotations

import contextlib
import copy
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.core.errors import SerializationNotPossible
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.result import Ok
from schemathesis.openapi import from_dict
from schemathesis.schemas import APIOperation

from keel.domain.enums import Role
from keel.server.auth import service as auth_service
from keel.server.runtime import Runtime
from tests.integration.auth.factories import (
    STRONG_PASSWORD,
    AuthedUser,
    create_user,
    login,
    minor_birth_date,
    unique_email,
)
from tests.integration.backtests.factories import run as run_backtest
from tests.integration.orders.factories import open_account, place

Operation = APIOperation[Any, Any, Any, Any]
SweepCase = Case[Any]

PROBLEM_FIELDS = ("type", "title", "status", "detail")
DATASET_NAMES = [
    "sweep-dataset.csv",
    "a..csv",
    "..csv",
    "a.csv.",
    ".hidden.csv",
    "x..parquet",
    "prices.CSV",
    "a%2F..%2Fb.csv",
]
"""Dataset names the sweep uploads (`/backtests/datasets/{name}`): one good, the rest each a way a
name could slip past the API's check and fail in storage (`a..csv` did, with a 500)."""
AMOUNT_FIELDS = ("quantity", "notional", "limit_price", "stop_price", "starting_cash", "cash")
PLAUSIBLE_AMOUNT = {
    "type": "string",
    "pattern": r"^(0\.[0-9]{1,4}|[1-9][0-9]{0,3}(\.[0-9]{1,2})?)$",
}
"""Decimal strings a learner might type: the plain document's cases cover the implausible ones."""


@dataclass
class World:
    """Users with tokens and real objects, so generated requests reach the service code."""

    learner: AuthedUser
    guardian: AuthedUser
    minor: AuthedUser
    admin: AuthedUser
    account_id: str
    minor_account_id: str
    resting_order_id: str
    pending_order_ids: list[str]
    run_id: str
    symbols: list[str] = field(default_factory=list)

    def identity_for(self, path: str) -> AuthedUser:
        """The user whose token makes `path` meaningful (minors redeem links, guardians approve)."""
        if path.startswith("/api/v1/guardian/links"):
            return self.minor
        if path.startswith("/api/v1/guardian"):
            return self.guardian
        if path.startswith("/api/v1/admin"):
            return self.admin
        return self.learner

    def path_pins(self, path: str) -> dict[str, list[str]]:
        """Real values for the path parameters of `path` (generated cases pick among them)."""
        order_ids = (
            self.pending_order_ids
            if path.startswith("/api/v1/guardian/approvals")
            else [self.resting_order_id]
        )
        guardian_reads = path.startswith("/api/v1/guardian/minors/{minor_id}/accounts")
        return {
            "account_id": [self.minor_account_id if guardian_reads else self.account_id],
            "order_id": order_ids,
            "run_id": [self.run_id],
            "minor_id": [self.minor.id],
            "symbol": self.symbols,
            "name": DATASET_NAMES,
        }

    def concrete_path(self, template: str) -> str:
        """`template` with each path parameter replaced by the world's first real value."""
        path = template
        for name, values in self.path_pins(template).items():
            path = path.replace("{" + name + "}", values[0])
        return path


async def _admin(client: httpx.AsyncClient, runtime: Runtime) -> AuthedUser:
    # Admins cannot register over HTTP (by design); the CLI path uses the same service call.
    email = unique_email("admin")
    async with runtime.sessionmaker() as session:
        user = await auth_service.create_user(
            session,
            runtime.settings,
            email=email,
            password=STRONG_PASSWORD,
            display_name="Sweep Admin",
            date_of_birth=datetime(1980, 1, 1).date(),
            role=Role.ADMIN,
            now=datetime.now(UTC),
        )
        await session.commit()
    tokens = await login(client, email)
    return AuthedUser(
        user.id, email, STRONG_PASSWORD, tokens["access_token"], tokens["refresh_token"]
    )


async def build_world(client: httpx.AsyncClient, runtime: Runtime) -> World:
    """Register a learner, a guardian linked to a minor and an admin; open accounts, place orders
    (one resting, two waiting for approval) and run one short backtest."""
    learner = await create_user(client)
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(14))
    admin = await _admin(client, runtime)
    # The learner is in the beta cohort, so the routes behind a beta flag (signals) reach their
    # service code; the general cohort's refusal (feature-not-enabled) has its own tests.
    beta = {"email": learner.email, "cohort": "beta"}
    moved = await client.put("/api/v1/admin/cohorts", json=beta, headers=admin.headers)
    assert moved.status_code == 200, moved.text
    invitation = await client.post("/api/v1/guardian/invitations", headers=guardian.headers)
    code = {"code": invitation.json()["code"]}
    linked = await client.post("/api/v1/guardian/links", json=code, headers=minor.headers)
    assert linked.status_code == 201, linked.text
    minor.guardian = guardian

    account = await open_account(client, learner)
    resting = await place(
        client,
        learner,
        account["id"],
        type="limit",
        quantity="1",
        limit_price="1.00",
        time_in_force="gtc",
    )
    assert resting.status_code == 201, resting.text
    minor_account = await open_account(client, minor, starting_cash="5000")
    pending = []
    for symbol in ("GOOG", "SPX", "IXIC"):
        # A breaker may refuse new exposure at this point of the replay: then the approval routes
        # are swept with ids that do not exist (404s), still through the guardian's checks.
        response = await place(client, minor, minor_account["id"], symbol=symbol, quantity="1")
        if response.status_code == 201:
            pending.append(response.json()["id"])
    pending = pending or [str(uuid.uuid4())]
    job = await run_backtest(client, learner)
    instruments = (await client.get("/api/v1/instruments")).json()
    symbols = [item["symbol"] for item in instruments][:4] or ["SPX"]
    return World(
        learner=learner,
        guardian=guardian,
        minor=minor,
        admin=admin,
        account_id=account["id"],
        minor_account_id=minor_account["id"],
        resting_order_id=resting.json()["id"],
        pending_order_ids=pending,
        run_id=job["id"],
        symbols=symbols,
    )


def pinned_document(document: dict[str, Any], world: World) -> dict[str, Any]:
    """A copy of the OpenAPI document whose id and symbol fields only admit the world's real values,
    so positive cases get past "not found" into validation and service code."""
    pinned = copy.deepcopy(document)
    body_pins: dict[str, dict[str, Any]] = {
        "account_id": {"type": "string", "enum": [world.account_id]},
        "symbol": {"type": "string", "enum": world.symbols},
        **{name: PLAUSIBLE_AMOUNT for name in AMOUNT_FIELDS},
    }
    for path, operations in pinned["paths"].items():
        pins = world.path_pins(path)
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["name"] in pins:
                    parameter["schema"] = {"type": "string", "enum": pins[parameter["name"]]}
            _pin_body(pinned, operation, body_pins)
    return pinned


def _pin_body(
    document: dict[str, Any], operation: dict[str, Any], pins: dict[str, dict[str, Any]]
) -> None:
    """Pin fields of `operation`'s JSON body on a private copy of its schema (response schemas that
    share a field name stay as they are)."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    reference = (content or {}).get("schema", {}).get("$ref", "")
    if not reference.startswith("#/components/schemas/"):
        return
    schemas = document["components"]["schemas"]
    name = reference.rsplit("/", 1)[-1]
    body = copy.deepcopy(schemas[name])
    properties = body.get("properties", {})
    pinned = {key: schema for key, schema in pins.items() if key in properties}
    if not pinned:
        return
    for key, schema in pinned.items():
        nullable = {"type": "null"} in properties[key].get("anyOf", [])
        properties[key] = {"anyOf": [schema, {"type": "null"}]} if nullable else schema
    if "quantity" in properties and "notional" in properties:
        # Orders need exactly one of the two; pinned cases size by quantity so most pass that rule
        # (the plain document's cases send both, neither and notional alone).
        del properties["notional"]
        body["required"] = [*body.get("required", []), "quantity"]
    schemas[f"Pinned{name}"] = body
    content["schema"] = {"$ref": f"#/components/schemas/Pinned{name}"}


def operations_of(document: dict[str, Any]) -> list[Operation]:
    """Every operation of `document`, state-changing ones that end the world's objects last."""
    schema = from_dict(document)
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the document has invalid operations"
    operations = [result.ok() for result in results if isinstance(result, Ok)]

    def destructive(operation: Operation) -> bool:
        return operation.method.upper() == "DELETE" or operation.path.startswith("/api/v1/admin")

    return sorted(operations, key=destructive)  # stable: document order otherwise


def draw_cases(
    operation: Operation, mode: GenerationMode, count: int, headers: dict[str, str] | None
) -> list[SweepCase]:
    """Up to `count` distinct cases for `operation`, the same ones on every run (derandomized)."""
    drawn: list[SweepCase] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(operation.as_strategy(generation_mode=mode, headers=headers))
    def collect(case: SweepCase) -> None:
        drawn.append(case)

    with contextlib.suppress(Unsatisfiable):  # nothing to negate (no parameters, no body)
        collect()
    return drawn


def coverage_cases(operation: Operation, headers: dict[str, str] | None) -> list[SweepCase]:
    """Schemathesis' coverage phase for `operation`: boundary values, missing and mistyped fields,
    unexpected methods — enumerated, not random, so the same on every run. `headers` (a token)
    replace the generated Authorization unless the case is about headers."""
    config = operation.schema.config.generation_for(operation=operation)
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    cases = list(
        operation.schema.iter_coverage_cases(
            operation, generation_modes=modes, generation_config=config
        )
    )
    for case in cases:
        about = case.meta.phase.data if case.meta is not None else None
        about_headers = getattr(about, "parameter_location", None) == ParameterLocation.HEADER
        if headers and not about_headers:
            case.headers = {**(case.headers or {}), **headers}
    return cases


def lax_coercion(case: SweepCase) -> bool:
    """Whether `case` is a coverage case that sent a number where the schema wants another type.

    Pydantic's lax mode (FastAPI's default) reads 0/1 as booleans and numbers as Unix times, so the
    server accepting them is by design, not a validation gap; other wrong types must be refused.
    """
    about = case.meta.phase.data if case.meta is not None else None
    description = str(getattr(about, "description", ""))
    if "Incorrect type" not in description:
        return False
    container: Any
    if getattr(about, "parameter_location", None) == ParameterLocation.QUERY:
        name, container = str(getattr(about, "parameter", "")), case.query
    else:  # a body property: its name starts the description ("trading_paused: Incorrect type")
        name, container = description.partition(":")[0], case.body
    value: Any = container.get(name) if isinstance(container, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def documented_elsewhere(document: dict[str, Any], method: str, path: str) -> bool:
    """Whether `method` on the concrete `path` is a documented operation of another template (as
    DELETE /backtests/strategies is DELETE /backtests/{run_id} with run_id "strategies")."""
    for template, operations in document["paths"].items():
        if method.lower() not in operations:
            continue
        pattern = re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return True
    return False


def httpx_request(case: SweepCase) -> dict[str, Any] | None:
    """The case as `httpx.AsyncClient.request` keyword arguments; None when httpx cannot send it
    (a header value outside latin-1 never reaches a real server either), or schemathesis cannot
    serialize the body."""
    try:
        kwargs = case.as_transport_kwargs(base_url="http://test")
    except SerializationNotPossible:  # a binary upload type (Parquet) schemathesis cannot build
        return None
    headers = {k: v for k, v in kwargs.get("headers", {}).items() if k != "Connection"}
    try:
        for name, value in headers.items():
            str(name).encode("ascii")
            str(value).encode("latin-1")
    except UnicodeEncodeError:
        return None
    request: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": headers,
        "params": kwargs.get("params") or None,
        "cookies": kwargs.get("cookies") or None,
    }
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    elif "data" in kwargs:
        data = kwargs["data"]
        request["content" if isinstance(data, bytes | str) else "data"] = data
    if "files" in kwargs:
        request["files"] = kwargs["files"]
    return request


def problem_violations(response: httpx.Response) -> list[str]:
    """What a 4xx response lacks of the problem+json contract (empty when it complies)."""
    if not 400 <= response.status_code < 500:
        return []
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type != "application/problem+json":
        return [f"4xx with content type {media_type!r}"]
    try:
        body = response.json()
    except ValueError:
        return ["4xx problem body is not JSON"]
    if not isinstance(body, dict):
        return ["4xx problem body is not an object"]
    missing = [name for name in PROBLEM_FIELDS if name not in body]
    problems = [f"problem without {', '.join(missing)}"] if missing else []
    if body.get("status") not in (None, response.status_code):
        problems.append(f"problem status {body.get('status')} != {response.status_code}")
    return problems
