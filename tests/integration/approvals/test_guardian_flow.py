"""Guardian end to end: invite → link → minor's order pending → approve → filled; reject; expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from httpx import AsyncClient
from sqlalchemy import update

from keel.server.market.component import get_feed
from keel.server.orders.models import OrderRow
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user, minor_birth_date
from tests.integration.orders.factories import account, open_account, place


async def family(client: AsyncClient) -> tuple[AuthedUser, AuthedUser]:
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(14))
    invitation = await client.post("/api/v1/guardian/invitations", headers=guardian.headers)
    assert invitation.status_code == 201, invitation.text
    link = await client.post(
        "/api/v1/guardian/links", json={"code": invitation.json()["code"]}, headers=minor.headers
    )
    assert link.status_code == 201, link.text
    minor.guardian = guardian
    return guardian, minor


async def test_minor_order_waits_then_fills_once_approved(client: AsyncClient) -> None:
    guardian, minor = await family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    response = await place(client, minor, opened["id"], symbol="GOOG", quantity="1")
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "pending_approval"
    state = await account(client, minor, opened["id"])
    assert state["positions"] == [] and Decimal(state["buying_power"]) < Decimal("1000")
    queue = (await client.get("/api/v1/guardian/approvals", headers=guardian.headers)).json()
    assert [item["order"]["id"] for item in queue] == [order["id"]]
    assert queue[0]["minor_id"] == minor.id
    approved = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "filled"
    detail = (await client.get(f"/api/v1/orders/{order['id']}", headers=minor.headers)).json()
    assert [e["to_status"] for e in detail["events"]] == ["pending_approval", "accepted", "filled"]
    assert (await client.get("/api/v1/guardian/approvals", headers=guardian.headers)).json() == []


async def test_guardian_rejects_with_a_reason(client: AsyncClient) -> None:
    guardian, minor = await family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    order = (await place(client, minor, opened["id"], symbol="GOOG", quantity="1")).json()
    rejected = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/reject",
        json={"reason": "too risky this week"},
        headers=guardian.headers,
    )
    assert rejected.status_code == 200, rejected.text
    body = rejected.json()
    assert body["status"] == "rejected" and "too risky this week" in body["status_reason"]
    state = await account(client, minor, opened["id"])
    assert state["buying_power"] == state["cash"] == "1000.00"
    again = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
    )
    assert again.status_code == 409


async def test_pending_approval_expires(client: AsyncClient, runtime: Runtime) -> None:
    guardian, minor = await family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    order = (await place(client, minor, opened["id"], symbol="GOOG", quantity="1")).json()
    market_time = get_feed(runtime).market_time
    assert market_time is not None  # the deadline is on the replay's clock
    async with runtime.sessionmaker() as session:
        await session.execute(
            update(OrderRow)
            .where(OrderRow.id == order["id"])
            # The window counts market time: close it a second before the replay's now.
            .values(approval_expires_at=market_time - timedelta(seconds=1))
        )
        await session.commit()
    late = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
    )
    assert late.status_code == 409 and late.json()["type"].endswith("/approval-expired")
    await get_feed(runtime).step()  # the engine loop expires overdue approvals
    expired = (await client.get(f"/api/v1/orders/{order['id']}", headers=minor.headers)).json()
    assert expired["status"] == "expired"
    state = await account(client, minor, opened["id"])
    assert state["buying_power"] == state["cash"]


async def test_only_the_linked_guardian_may_decide(client: AsyncClient) -> None:
    _guardian, minor = await family(client)
    stranger = await create_user(client, role="guardian")
    learner = await create_user(client)
    opened = await open_account(client, minor, starting_cash="1000")
    order = (await place(client, minor, opened["id"], symbol="GOOG", quantity="1")).json()
    for who, status in [(stranger, 404), (learner, 403)]:
        response = await client.post(
            f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=who.headers
        )
        assert response.status_code == status, response.text
    queue = (await client.get("/api/v1/guardian/approvals", headers=stranger.headers)).json()
    assert queue == []


async def test_minor_rules_at_placement(client: AsyncClient) -> None:
    guardian, minor = await family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    short = await place(client, minor, opened["id"], symbol="GOOG", side="sell", quantity="1")
    assert short.status_code == 422 and short.json()["type"].endswith("/minor-no-short")
    limits = await client.put(
        f"/api/v1/guardian/minors/{minor.id}/limits",
        json={"max_order_notional": "100", "trading_paused": False},
        headers=guardian.headers,
    )
    assert limits.status_code == 200, limits.text
    big = await place(client, minor, opened["id"], symbol="GOOG", quantity="1")
    assert big.status_code == 422 and big.json()["type"].endswith("/guardian-order-limit")
    small = await place(client, minor, opened["id"], symbol="GOOG", notional="50")
    assert small.status_code == 201 and small.json()["status"] == "pending_approval"
    # A minor whose only guardian unlinked after opening the account.
    former, orphan = await family(client)
    orphan_account = await open_account(client, orphan, starting_cash="1000")
    unlinked = await client.delete(f"/api/v1/guardian/minors/{orphan.id}", headers=former.headers)
    assert unlinked.status_code == 204, unlinked.text
    alone = await place(client, orphan, orphan_account["id"], symbol="GOOG", quantity="1")
    assert alone.status_code == 422 and alone.json()["type"].endswith("/guardian-required")
