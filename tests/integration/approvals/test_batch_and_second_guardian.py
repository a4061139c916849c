"""Several decisions in one 2FA step (a wrong code changes nothing; each order its own result),
and a minor with two guardians (either approves; unlinking one leaves the other in charge)."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient

from keel.server.pubsub import get_pubsub, user_channel
from keel.server.runtime import Runtime
from tests.integration.approvals.factories import decide, enable_2fa
from tests.integration.auth.factories import AuthedUser, create_user, totp_code
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import account, open_account, place


async def _pending(
    client: AsyncClient, minor: AuthedUser, account_id: str, count: int
) -> list[str]:
    ids = []
    for _ in range(count):
        response = await place(client, minor, account_id, symbol="GOOG", quantity="1")
        assert response.json()["status"] == "pending_approval", response.text
        ids.append(response.json()["id"])
    return ids


async def _statuses(client: AsyncClient, minor: AuthedUser, ids: list[str]) -> list[str]:
    return [
        (await client.get(f"/api/v1/orders/{order_id}", headers=minor.headers)).json()["status"]
        for order_id in ids
    ]


async def test_a_wrong_or_missing_code_changes_nothing(client: AsyncClient) -> None:
    guardian, minor = await linked_family(client)
    secret = await enable_2fa(client, guardian)
    account_id = (await open_account(client, minor, starting_cash="5000"))["id"]
    ids = await _pending(client, minor, account_id, 2)
    before = await account(client, minor, account_id)
    for code, problem in [("000000", "invalid-second-factor"), (None, "second-factor-required")]:
        approve = await decide(client, guardian, code, (ids[0], "approve"), (ids[1], "approve"))
        reject = await decide(client, guardian, code, (ids[0], "reject", "no"))
        for response in (approve, reject):
            assert response.status_code == 403, response.text
            assert response.json()["type"].endswith(f"/{problem}")
    assert await _statuses(client, minor, ids) == ["pending_approval", "pending_approval"]
    assert await account(client, minor, account_id) == before
    queue = (await client.get("/api/v1/guardian/approvals", headers=guardian.headers)).json()
    assert sorted(item["order"]["id"] for item in queue) == sorted(ids)  # placed at one instant

    code = totp_code(secret)
    done = await decide(
        client, guardian, code, (ids[0], "approve"), (ids[1], "reject", "one will do")
    )
    assert done.status_code == 200, done.text
    assert [r["order"]["status"] for r in done.json()["results"]] == ["filled", "rejected"]
    spent = await decide(client, guardian, code, (ids[1], "approve"))  # a code works once
    assert spent.status_code == 403 and spent.json()["type"].endswith("/invalid-second-factor")


async def test_each_order_gets_its_own_result(client: AsyncClient) -> None:
    guardian, minor = await linked_family(client)
    account_id = (await open_account(client, minor, starting_cash="5000"))["id"]
    first, second = await _pending(client, minor, account_id, 2)
    rejected = await decide(client, guardian, None, (second, "reject", "not this one"))
    assert rejected.json()["results"][0]["order"]["status"] == "rejected"
    _, other_minor = await linked_family(client)
    other_account = (await open_account(client, other_minor, starting_cash="5000"))["id"]
    (not_ours,) = await _pending(client, other_minor, other_account, 1)

    answer = await decide(
        client,
        guardian,
        None,
        ("no-such-order", "approve"),
        (second, "approve"),
        (not_ours, "approve"),
        (first, "approve"),
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["applied"] for r in results] == [False, False, False, True]
    assert [r["problem"]["status"] for r in results[:3]] == [404, 409, 404]
    assert results[1]["problem"]["type"].endswith("/not-pending-approval")
    assert results[3]["problem"] is None and results[3]["order"]["status"] == "filled"
    assert await _statuses(client, other_minor, [not_ours]) == ["pending_approval"]


async def test_bad_batches_are_refused_whole(client: AsyncClient) -> None:
    guardian, minor = await linked_family(client)
    account_id = (await open_account(client, minor, starting_cash="5000"))["id"]
    (order_id,) = await _pending(client, minor, account_id, 1)
    path = "/api/v1/guardian/approvals/decisions"
    for body in [
        {"decisions": []},
        {"decisions": [{"order_id": order_id, "decision": "reject"}]},  # no reason
        {"decisions": [{"order_id": order_id, "decision": "maybe"}]},
        {"decisions": [{"order_id": order_id, "decision": "approve"}] * 2},
        {"decisions": [{"order_id": f"o{i}", "decision": "approve"} for i in range(51)]},
        {"decisions": [{"order_id": order_id, "decision": "approve"}], "extra": 1},
    ]:
        response = await client.post(path, json=body, headers=guardian.headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    learner = await create_user(client)
    not_a_guardian = await decide(client, learner, None, (order_id, "approve"))
    assert not_a_guardian.status_code == 403
    assert await _statuses(client, minor, [order_id]) == ["pending_approval"]


async def test_a_second_guardian_approves_and_stays_in_charge(
    client: AsyncClient, runtime: Runtime
) -> None:
    first, minor = await linked_family(client)
    second = await create_user(client, role="guardian")
    code = (await client.post("/api/v1/guardian/invitations", headers=second.headers)).json()
    linked = await client.post(
        "/api/v1/guardian/links", json={"code": code["code"]}, headers=minor.headers
    )
    assert linked.status_code == 201, linked.text
    account_id = (await open_account(client, minor, starting_cash="5000"))["id"]
    told: list[tuple[str, str]] = []
    stop_listening = get_pubsub(runtime).add_listener(
        lambda channel, message: told.append((channel, message["order"]["id"])),
        lambda channel: channel.startswith("notifications:"),
    )
    one, two = await _pending(client, minor, account_id, 2)
    for _ in range(50):  # messages leave once the transaction has committed
        if len(told) >= 4:
            break
        await asyncio.sleep(0.02)
    stop_listening()
    assert sorted(told) == sorted(
        (user_channel("notifications", guardian.id), order_id)
        for guardian in (first, second)
        for order_id in (one, two)
    )
    for guardian in (first, second):
        queue = (await client.get("/api/v1/guardian/approvals", headers=guardian.headers)).json()
        assert sorted(item["order"]["id"] for item in queue) == sorted([one, two])
        path = f"/api/v1/guardian/minors/{minor.id}/accounts/{account_id}"
        assert (await client.get(path, headers=guardian.headers)).status_code == 200

    approved = await client.post(
        f"/api/v1/guardian/approvals/{one}/approve", json={}, headers=second.headers
    )
    assert approved.json()["status"] == "filled", approved.text
    again = await client.post(
        f"/api/v1/guardian/approvals/{one}/approve", json={}, headers=first.headers
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/not-pending-approval")

    limits = await client.patch(
        f"/api/v1/guardian/minors/{minor.id}/limits",
        json={"max_order_notional": "600"},  # about one GOOG
        headers=first.headers,
    )
    assert limits.status_code == 200, limits.text
    gone = await client.delete(f"/api/v1/guardian/minors/{minor.id}", headers=first.headers)
    assert gone.status_code == 204
    queue = (await client.get("/api/v1/guardian/approvals", headers=first.headers)).json()
    assert queue == []
    unlinked_read = f"/api/v1/guardian/minors/{minor.id}/accounts/{account_id}"
    assert (await client.get(unlinked_read, headers=first.headers)).status_code == 404
    still = await client.post(
        f"/api/v1/guardian/approvals/{two}/approve", json={}, headers=second.headers
    )
    assert still.json()["status"] == "filled", still.text
    # The limits the guardians share stay with the remaining guardian.
    over = await place(client, minor, account_id, symbol="GOOG", quantity="2")
    assert over.status_code == 422 and over.json()["type"].endswith("/guardian-order-limit")
    got = await client.get(f"/api/v1/guardian/minors/{minor.id}/limits", headers=second.headers)
    assert got.json()["max_order_notional"] == "600.00"
