"""Mastery that unlocks, end to end through the API: an account that requires "order types" is
refused a stop order with a link to the lesson, passes its quiz, and the stop order is accepted;
a guardian's lock on a minor's account cannot be lifted by the minor."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.guardians.factories import linked_family
from tests.integration.lessons.factories import answer, right_answers, wrong_answers
from tests.integration.orders.factories import open_account, place


async def test_a_stop_order_unlocks_after_the_order_types_quiz(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    locked = await client.put(
        f"/api/v1/lessons/requirements/{opened['id']}",
        json={"requirements": {"stop_orders": "order-types"}},
        headers=user.headers,
    )
    assert locked.status_code == 200, locked.text
    assert locked.json() == [
        {
            "feature": "stop_orders",
            "lesson": "order-types",
            "title": "Order types",
            "url": "/api/v1/lessons/order-types",
            "set_by": "owner",
            "unlocked": False,
        }
    ]
    quote = runtime.scenarios["default"].feed.latest_quote("SPX")
    assert quote is not None
    stop_price = str((quote.bid * Decimal("0.9")).quantize(Decimal("0.01")))
    stop = {"side": "sell", "type": "stop", "stop_price": stop_price, "time_in_force": "gtc"}
    bought = await place(client, user, opened["id"], quantity="1")
    assert bought.status_code == 201, bought.text

    refused = await place(client, user, opened["id"], quantity="1", **stop)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/lesson-required"
    assert problem["lesson"] == "/api/v1/lessons/order-types"
    assert problem["figures"] == {"feature": "stop_orders", "lesson": "order-types"}
    assert "Order types" in problem["detail"]
    assert (
        await place(client, user, opened["id"], quantity="1", type="market", side="buy")
    ).status_code == 201

    failed = await answer(client, user, "order-types", wrong_answers(runtime, "order-types"))
    assert failed["mastery"]["level"] == "attempted"
    assert (await place(client, user, opened["id"], quantity="1", **stop)).status_code == 422

    passed = await answer(client, user, "order-types", right_answers(runtime, "order-types"))
    assert passed["mastery"]["level"] == "proficient"
    accepted = await place(client, user, opened["id"], quantity="1", **stop)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["type"] == "stop"
    shown = (
        await client.get(f"/api/v1/lessons/requirements/{opened['id']}", headers=user.headers)
    ).json()
    assert [item["unlocked"] for item in shown] == [True]


async def test_only_the_holder_or_a_linked_guardian_sets_locks(client: AsyncClient) -> None:
    holder = await create_user(client)
    stranger = await create_user(client)
    opened = await open_account(client, holder)
    body = {"requirements": {"short_selling": "risk-and-return"}}
    url = f"/api/v1/lessons/requirements/{opened['id']}"
    assert (await client.put(url, json=body, headers=stranger.headers)).status_code == 404
    assert (await client.get(url, headers=stranger.headers)).status_code == 404
    unknown = {"requirements": {"short_selling": "no-such-lesson"}}
    assert (await client.put(url, json=unknown, headers=holder.headers)).status_code == 404
    bad = {"requirements": {"flying": "order-types"}}
    assert (await client.put(url, json=bad, headers=holder.headers)).status_code == 422
    assert (await client.put(url, json=body, headers=holder.headers)).status_code == 200
    lifted = await client.put(url, json={"requirements": {}}, headers=holder.headers)
    assert lifted.status_code == 200 and lifted.json() == []


async def test_a_guardian_locks_limit_orders_for_a_minor_who_cannot_lift_it(
    client: AsyncClient, runtime: Runtime
) -> None:
    guardian, minor = await linked_family(client)
    opened = await open_account(client, minor, starting_cash="1000")
    url = f"/api/v1/lessons/requirements/{opened['id']}"
    locked = await client.put(
        url, json={"requirements": {"limit_orders": "order-types"}}, headers=guardian.headers
    )
    assert locked.status_code == 200 and locked.json()[0]["set_by"] == "guardian"
    own = await client.put(url, json={"requirements": {}}, headers=minor.headers)
    assert own.status_code == 200 and [r["set_by"] for r in own.json()] == ["guardian"]
    limit = {"symbol": "GOOG", "type": "limit", "limit_price": "1.00", "quantity": "1"}
    refused = await place(client, minor, opened["id"], **limit)
    assert refused.status_code == 422 and refused.json()["lesson"] == "/api/v1/lessons/order-types"
    await answer(client, minor, "order-types", right_answers(runtime, "order-types"))
    waiting = await place(client, minor, opened["id"], **limit)
    assert waiting.status_code == 201 and waiting.json()["status"] == "pending_approval"
