"""A minor's accounts and the guardian's limits (finding 10 of issue 12).

Before: the guardian's limits were stored per account, so a minor opened a second account and
switched every rule off there; minors also opened and reset accounts on their own. Now the limits
are the minor's, on every account, and opening or resetting waits for a guardian's consent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from httpx import AsyncClient, Response

from keel.server.account_risk.applying import load_limits
from keel.server.breakers.startup import get_risk
from keel.server.runtime import Runtime
from tests.integration.approvals.factories import enable_2fa
from tests.integration.auth.factories import (
    AuthedUser,
    create_user,
    minor_birth_date,
    totp_code,
)
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account

PROBLEM = "/problems/"
ALL_OFF = {
    "daily_loss_pct": None,
    "max_drawdown_pct": None,
    "stoploss_guard": None,
    "loss_cooldown": None,
}
GUARDIAN_LIMITS = {
    "daily_loss_pct": "3",
    "max_drawdown_pct": "10",
    "stoploss_guard": {"stop_exits": 2, "window_minutes": 360, "pause_minutes": 120},
    "loss_cooldown": {"losing_trades": 2, "cooldown_minutes": 60},
}


async def _decide(
    client: AsyncClient, guardian: AuthedUser, code: str | None, *decisions: dict[str, Any]
) -> Response:
    body: dict[str, Any] = {"decisions": list(decisions), "code": code}
    return await client.post(
        "/api/v1/guardian/account-requests/decisions", json=body, headers=guardian.headers
    )


async def _risk(client: AsyncClient, user: AuthedUser, account_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/accounts/{account_id}/risk", headers=user.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_minors_second_account_carries_the_guardians_limits(
    client: AsyncClient, runtime: Runtime
) -> None:
    guardian, minor = await linked_family(client)
    secret = await enable_2fa(client, guardian)
    first = (await open_account(client, minor))["id"]
    put = await client.put(
        f"/api/v1/accounts/{first}/risk", json=GUARDIAN_LIMITS, headers=guardian.headers
    )
    assert put.status_code == 200, put.text

    asked = await client.post("/api/v1/accounts", json={"name": "Second"}, headers=minor.headers)
    assert asked.status_code == 202, asked.text
    request = asked.json()
    assert request["status"] == "pending" and request["kind"] == "open"
    approved = await _decide(
        client,
        guardian,
        totp_code(secret, 0),
        {"request_id": request["id"], "decision": "approve"},
    )
    assert approved.status_code == 200, approved.text
    result = approved.json()["results"][0]
    assert result["applied"] and result["request"]["status"] == "approved"
    second = result["account"]["id"]
    assert result["request"]["account_id"] == second

    seen = await _risk(client, minor, second)
    assert seen["guardian"] == GUARDIAN_LIMITS and seen["in_force"] == GUARDIAN_LIMITS
    board = get_risk(runtime).board
    for account_id in (first, second):
        config = board.account(account_id).config
        assert config.daily_loss_limit == Decimal("0.03") and config.stoploss_trades == 2

    # The minor cannot switch them off, on the new account or the old one.
    for account_id in (second, first):
        off = await client.put(
            f"/api/v1/accounts/{account_id}/risk", json=ALL_OFF, headers=minor.headers
        )
        assert off.status_code == 403 and off.json()["type"] == PROBLEM + "guardian-limit"
        assert board.account(account_id).config.max_drawdown == Decimal("0.10")

    # A guardian change binds every account at once; a restarted process loads the same.
    looser = dict(GUARDIAN_LIMITS, daily_loss_pct="4")
    assert (
        await client.put(f"/api/v1/accounts/{second}/risk", json=looser, headers=guardian.headers)
    ).status_code == 200
    assert (await _risk(client, minor, first))["guardian"]["daily_loss_pct"] == "4"
    board.configure_account(first, board.account(second).config.__class__())
    assert await load_limits(runtime) >= 2
    assert board.account(first).config.daily_loss_limit == Decimal("0.04")


async def test_opening_or_resetting_waits_for_the_guardians_consent(client: AsyncClient) -> None:
    guardian, minor = await linked_family(client)
    secret = await enable_2fa(client, guardian)
    account = await open_account(client, minor, starting_cash="5000")

    opening = await client.post("/api/v1/accounts", json={}, headers=minor.headers)
    assert opening.status_code == 202, opening.text
    reset = await client.post(
        f"/api/v1/accounts/{account['id']}/reset",
        json={"starting_cash": "9000"},
        headers=minor.headers,
    )
    assert reset.status_code == 202 and reset.json()["kind"] == "reset", reset.text
    # Nothing happened yet.
    accounts = (await client.get("/api/v1/accounts", headers=minor.headers)).json()
    assert [item["id"] for item in accounts] == [account["id"]]
    assert Decimal(accounts[0]["cash"]) == Decimal("5000")
    mine = (await client.get("/api/v1/account-requests", headers=minor.headers)).json()
    waiting = [item for item in mine if item["status"] == "pending"]
    assert {item["kind"] for item in waiting} == {"open", "reset"}
    # The first account, opened by the guardian, is on record as approved.
    assert [item["kind"] for item in mine if item["status"] == "approved"] == ["open"]

    queue = (await client.get("/api/v1/guardian/account-requests", headers=guardian.headers)).json()
    assert {item["request"]["id"] for item in queue} == {opening.json()["id"], reset.json()["id"]}
    decisions = (
        {"request_id": opening.json()["id"], "decision": "approve"},
        {"request_id": reset.json()["id"], "decision": "reject", "reason": "keep going"},
    )
    # Without a code, or with a wrong one, nothing is decided.
    for code in (None, "000000"):
        refused = await _decide(client, guardian, code, *decisions)
        assert refused.status_code == 403, refused.text
    assert len((await client.get("/api/v1/accounts", headers=minor.headers)).json()) == 1

    stranger = await create_user(client, role="guardian")
    foreign = await _decide(client, stranger, None, decisions[0])
    assert foreign.json()["results"][0]["problem"]["status"] == 404

    decided = await _decide(client, guardian, totp_code(secret, 0), *decisions)
    assert decided.status_code == 200, decided.text
    approved, rejected = decided.json()["results"]
    assert approved["applied"] and approved["account"]["starting_cash"] == "100000.00"
    assert rejected["applied"] and rejected["request"]["reason"] == "keep going"
    accounts = (await client.get("/api/v1/accounts", headers=minor.headers)).json()
    assert len(accounts) == 2
    kept = next(item for item in accounts if item["id"] == account["id"])
    assert Decimal(kept["cash"]) == Decimal("5000") and kept["epoch"] == 0

    again = await _decide(client, guardian, totp_code(secret, 1), decisions[0])
    problem = again.json()["results"][0]["problem"]
    assert problem["type"] == PROBLEM + "request-not-pending" and problem["status"] == 409


async def test_an_adult_opens_and_resets_at_once_and_a_minor_without_guardian_waits(
    client: AsyncClient,
) -> None:
    adult = await create_user(client)
    opened = await client.post("/api/v1/accounts", json={}, headers=adult.headers)
    assert opened.status_code == 201, opened.text
    reset = await client.post(
        f"/api/v1/accounts/{opened.json()['id']}/reset", headers=adult.headers
    )
    assert reset.status_code == 200 and reset.json()["epoch"] == 1

    # A minor with no guardian yet: the request waits for the first one to link.
    minor = await create_user(client, date_of_birth=minor_birth_date(13))
    asked = [
        await client.post("/api/v1/accounts", json={}, headers=minor.headers) for _ in range(6)
    ]
    assert [item.status_code for item in asked] == [202] * 5 + [429]
    assert asked[-1].json()["type"] == PROBLEM + "too-many-account-requests"
    guardian = await create_user(client, role="guardian")
    code = (await client.post("/api/v1/guardian/invitations", headers=guardian.headers)).json()
    linked = await client.post(
        "/api/v1/guardian/links", json={"code": code["code"]}, headers=minor.headers
    )
    assert linked.status_code == 201, linked.text
    queue = (await client.get("/api/v1/guardian/account-requests", headers=guardian.headers)).json()
    assert len(queue) == 5 and {item["minor_id"] for item in queue} == {minor.id}
