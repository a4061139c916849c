"""A refused order carries its lesson; the first refusal of a kind offers a two-question check;
the breakers lesson shows the learner's own last refused order; breakers name their lesson."""

from __future__ import annotations

from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place


async def test_a_refusal_links_to_its_lesson_and_offers_a_check_once(client: AsyncClient) -> None:
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash="1000")
    refused = await place(client, user, opened["id"], quantity="50")
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/insufficient-funds"
    assert problem["lesson"] == "/api/v1/lessons/position-sizing"
    lesson = await client.get(problem["lesson"], headers=user.headers)
    assert lesson.status_code == 200 and lesson.json()["title"] == "Position sizing"

    check = (
        await client.get("/api/v1/lessons/checks/insufficient-funds", headers=user.headers)
    ).json()
    assert check["offered"] is True and check["lesson"] == "position-sizing"
    assert len(check["questions"]) == 2
    assert all("answer" not in question for question in check["questions"])

    await place(client, user, opened["id"], quantity="60")
    again = (
        await client.get("/api/v1/lessons/checks/insufficient-funds", headers=user.headers)
    ).json()
    assert again["offered"] is False and again["questions"] == []
    never = (await client.get("/api/v1/lessons/checks/breaker-closed", headers=user.headers)).json()
    assert never["offered"] is False and never["lesson"] == "circuit-breakers"


async def test_the_breakers_lesson_shows_the_learners_last_refused_order(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    other = await create_user(client)
    opened = await open_account(client, user, starting_cash="1000")
    empty = (await client.get("/api/v1/lessons/circuit-breakers", headers=user.headers)).json()
    assert empty["interactive"] == {"kind": "last-refusal", "refusal": None}
    await place(client, user, opened["id"], quantity="50")
    sold = await place(client, user, opened["id"], side="sell", symbol="IXIC", quantity="3")
    assert sold.status_code == 422
    shown = (await client.get("/api/v1/lessons/circuit-breakers", headers=user.headers)).json()
    refusal = shown["interactive"]["refusal"]
    assert (refusal["symbol"], refusal["side"], refusal["amount"]) == ("IXIC", "sell", "3")
    assert refusal["code"] == sold.json()["type"].removeprefix("/problems/")
    assert refusal["detail"] == sold.json()["detail"]
    assert refusal["lesson"] == "risk-and-return" and refusal["market_time"] is not None
    theirs = (await client.get("/api/v1/lessons/circuit-breakers", headers=other.headers)).json()
    assert theirs["interactive"]["refusal"] is None


async def test_breakers_name_the_lesson_that_explains_them(client: AsyncClient) -> None:
    user = await create_user(client)
    breakers = (await client.get("/api/v1/breakers", headers=user.headers)).json()["breakers"]
    assert breakers
    for breaker in breakers:
        assert breaker["lesson"] is not None, breaker["rule"]
        assert (await client.get(breaker["lesson"], headers=user.headers)).status_code == 200


async def test_a_guardians_rejection_names_the_lesson(client: AsyncClient) -> None:
    guardian, minor = await linked_family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    order = (await place(client, minor, opened["id"], symbol="GOOG", quantity="1")).json()
    assert order["lesson"] is None
    rejected = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/reject",
        json={"reason": "let us talk about it first"},
        headers=guardian.headers,
    )
    assert rejected.status_code == 200, rejected.text
    seen = (await client.get(f"/api/v1/orders/{order['id']}", headers=minor.headers)).json()
    assert seen["rejection_code"] == "guardian-rejected"
    assert seen["lesson"] == "/api/v1/lessons/guardians-and-minors"
