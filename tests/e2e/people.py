"""People of the browser tests, made through the API (the journeys under test use the browser)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import httpx
import pyotp

from tests.integration.roles.processes import wait_for

PASSWORD = "plum-Orbit-42-velvet"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@dataclass
class Authenticator:
    """An authenticator app: each code it gives is for a later 30-second step than the last, as
    the server accepts each step once (one step of clock drift either way is allowed).

    The first code is the current step's, good for 30–60 s: the previous step's, given first
    before, could expire a second after it was typed, near the end of a step (a 403 in CI)."""

    secret: str
    last_step: int = -1

    def code(self) -> str:
        while True:
            current = int(time.time()) // 30
            step = max(self.last_step + 1, current)
            if step <= current + 1:
                self.last_step = step
                return pyotp.TOTP(self.secret).at(step * 30)
            time.sleep(1)


@dataclass
class Person:
    email: str
    password: str = PASSWORD
    headers: dict[str, str] = field(default_factory=dict)
    authenticator: Authenticator | None = None
    id: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    """Pages worth a look as this person (the screenshot test)."""


def register(http: httpx.Client, prefix: str, *, born: str, role: str = "learner") -> Person:
    person = Person(unique_email(prefix))
    answer = http.post(
        "/api/v1/auth/register",
        json={
            "email": person.email,
            "password": person.password,
            "display_name": prefix.capitalize(),
            "date_of_birth": born,
            "role": role,
        },
    )
    assert answer.status_code == 201, answer.text
    person.id = answer.json()["id"]
    return log_in(http, person)


def log_in(http: httpx.Client, person: Person) -> Person:
    def attempt() -> httpx.Response | None:
        answer = http.post(
            "/api/v1/auth/login", json={"email": person.email, "password": person.password}
        )
        return answer if answer.status_code == 200 else None

    body = wait_for(attempt, 10, lambda: f"{person.email} cannot log in").json()
    if "challenge_token" in body:
        assert person.authenticator is not None
        body = http.post(
            "/api/v1/auth/login/2fa",
            json={"challenge_token": body["challenge_token"], "code": person.authenticator.code()},
        ).json()
    person.headers = {"Authorization": f"Bearer {body['access_token']}"}
    return person


def enrol_two_factor(http: httpx.Client, person: Person) -> None:
    secret = http.post("/api/v1/auth/2fa/enrol", headers=person.headers).json()["secret"]
    person.authenticator = Authenticator(secret)
    verified = http.post(
        "/api/v1/auth/2fa/verify",
        json={"code": person.authenticator.code()},
        headers=person.headers,
    )
    assert verified.status_code == 200, verified.text
    # Turning 2FA on ends every older session: carry on with the pair the answer brings.
    person.headers = {"Authorization": f"Bearer {verified.json()['tokens']['access_token']}"}


def open_account(
    http: httpx.Client,
    person: Person,
    scenario_id: str = "default",
    *,
    guardian: Person | None = None,
) -> str:
    """An account of `person`; a minor's is opened by their `guardian` (a minor's own request
    waits for the guardian's consent)."""
    body = {"name": "Practice", "scenario_id": scenario_id}
    if guardian is not None:
        path = f"/api/v1/guardian/minors/{person.id}/accounts"
        answer = http.post(path, json=body, headers=guardian.headers)
    else:
        answer = http.post("/api/v1/accounts", json=body, headers=person.headers)
    assert answer.status_code == 201, answer.text
    account_id = str(answer.json()["id"])
    wait_for(
        lambda: http.get(f"/api/v1/accounts/{account_id}", headers=person.headers).is_success,
        10,
        lambda: "the account never became readable",
    )
    return account_id


def buy_at_market(
    http: httpx.Client, person: Person, account_id: str, symbol: str, quantity: str
) -> str:
    """Place a market buy through the API (not the browser); the new order's id."""
    placed = http.post(
        "/api/v1/orders",
        json={
            "account_id": account_id,
            "symbol": symbol,
            "side": "buy",
            "type": "market",
            "quantity": quantity,
        },
        headers=person.headers,
    )
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


def link_minor(http: httpx.Client, guardian: Person, minor: Person) -> None:
    """The guardian invites, the minor redeems the code: they are linked."""
    code = http.post("/api/v1/guardian/invitations", headers=guardian.headers).json()["code"]
    linked = http.post("/api/v1/guardian/links", json={"code": code}, headers=minor.headers)
    assert linked.is_success, linked.text
