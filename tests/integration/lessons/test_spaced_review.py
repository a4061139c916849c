"""Spaced review: a question answered today comes back on days 1, 3 and 7 of the scenario's own
trading calendar, and not before (the market replay is stepped by hand, one trading day a time)."""

from __future__ import annotations

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.lessons.factories import answer, right_answers


async def test_answered_questions_come_back_on_days_1_3_and_7(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = runtime.scenarios["default"].feed
    user = await create_user(client)
    slug = "drawdowns"
    answers = right_answers(runtime, slug)
    first_day = feed.market_date
    assert first_day is not None
    await answer(client, user, slug, answers)
    due_on: list[int] = []
    for day in range(9):
        queue = (await client.get("/api/v1/lessons/reviews", headers=user.headers)).json()
        assert (
            queue["market_date"] == feed.calendar[feed.calendar.index(first_day) + day].isoformat()
        )
        if queue["questions"]:
            assert {q["id"] for q in queue["questions"]} == set(answers)
            assert {q["lesson"] for q in queue["questions"]} == {slug}
            due_on.append(day)
            await answer(client, user, slug, answers)  # the review, answered
            after = (await client.get("/api/v1/lessons/reviews", headers=user.headers)).json()
            assert after["questions"] == []
        await feed.skip(1)
    assert due_on == [1, 3, 7]


async def test_a_review_answered_late_is_not_owed_twice(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = runtime.scenarios["default"].feed
    user = await create_user(client)
    await answer(client, user, "order-types", {"market-order": "a"})
    await feed.skip(4)  # days 1 and 3 have both passed
    queue = (await client.get("/api/v1/lessons/reviews", headers=user.headers)).json()
    assert [q["id"] for q in queue["questions"]] == ["market-order"]
    await answer(client, user, "order-types", {"market-order": "a"})
    for _ in range(2):  # days 5 and 6: nothing due until day 7
        await feed.skip(1)
        queue = (await client.get("/api/v1/lessons/reviews", headers=user.headers)).json()
        assert queue["questions"] == []
    await feed.skip(1)
    progress = (await client.get("/api/v1/lessons/progress", headers=user.headers)).json()
    assert progress["reviews_due"] == 1
