"""A student sees their class's leaderboard: ranked by the teacher's score, the same as the
teacher's board, with classmates' display names and figures and never an email or a date of
birth; live on `leaderboard:<class id>` at each market day's close, which only the class's students
and teacher may follow."""

from __future__ import annotations

import json
from typing import Any

import websockets
from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.classes.factories import create_class, create_teacher, students_signed_in
from tests.integration.orders.factories import place
from tests.integration.realtime.live import live_server, receive_until

STANDING_FIELDS = {
    "rank", "user_id", "name", "score", "total_return", "sharpe", "sortino", "calmar",
    "max_drawdown", "breaker_compliance", "orders", "lesson_mastery", "days", "equity", "regimes",
}  # fmt: skip
"""All a classmate is shown of another: no email, date of birth, minor flag or account."""


def assert_private_data_absent(text: str, students: list[tuple[AuthedUser, str]]) -> None:
    for student, account_id in students:
        assert student.email not in text and account_id not in text
    for field in ("email", "date_of_birth", "is_minor", "account_id"):
        assert f'"{field}"' not in text
    assert "1990-05-" not in text  # the roster's dates of birth


async def test_a_student_sees_their_class_board_and_nothing_private(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    teacher = await create_teacher(client, runtime, admin)
    other = await create_teacher(client, runtime, admin)
    made = await create_class(client, teacher, score="sharpe")
    students = await students_signed_in(client, teacher, made["id"], 3)
    (bold, bold_account), (careful, careful_account), (idle, _) = students
    outsider = await create_user(client)
    assert (await place(client, bold, bold_account, notional="4900")).status_code == 201
    assert (await place(client, careful, careful_account, notional="800")).status_code == 201
    live = runtime.scenarios[made["scenario_id"]]
    for _ in range(4):
        await live.feed.skip(1)

    standings = f"/api/v1/classes/{made['id']}/standings"
    seen = await client.get(standings, headers=careful.headers)
    assert seen.status_code == 200, seen.text
    board = seen.json()
    assert board["score"] == "sharpe" and board["class_id"] == made["id"]
    assert_private_data_absent(seen.text, students)
    assert all(set(item) == STANDING_FIELDS for item in board["standings"])
    assert {item["user_id"] for item in board["standings"]} == {s.id for s, _ in students}
    assert [item["name"] for item in board["standings"]][-1] == "Student 02"  # idle: no score

    teachers = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard", headers=teacher.headers
    )
    assert teachers.json() == board  # the same ranking, the same figures
    assert (await client.get(standings, headers=teacher.headers)).json() == board
    assert (await client.get(standings, headers=admin.headers)).status_code == 200
    for stranger in (outsider, other):
        refused = await client.get(standings, headers=stranger.headers)
        assert refused.status_code == 404 and refused.json()["type"] == "/problems/not-found"
    assert (await client.get(standings)).status_code == 401
    # The teacher's own routes stay the teacher's.
    scored = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard?score=calmar", headers=idle.headers
    )
    assert scored.status_code == 403


async def subscribe(ws: Any, who: AuthedUser, channel: str) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "auth", "token": who.access_token}))
    await receive_until(ws, lambda m: m["type"] == "welcome")
    await ws.send(json.dumps({"type": "subscribe", "channels": [channel]}))
    return await receive_until(ws, lambda m: m["type"] == "subscribed")


async def test_the_board_arrives_live_for_the_class_only(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(client, teacher)
    students = await students_signed_in(client, teacher, made["id"], 2)
    (student, account_id), _ = students
    outsider = await create_user(client)
    other_teacher = await create_teacher(client, runtime)
    assert (await place(client, student, account_id, notional="1000")).status_code == 201
    channel = f"leaderboard:{made['id']}"
    live = runtime.scenarios[made["scenario_id"]]
    async with (
        live_server(runtime) as url,
        websockets.connect(url) as ws,
        websockets.connect(url) as teacher_ws,
    ):
        ack = await subscribe(ws, student, channel)
        assert ack["channels"] == [channel] and ack["refused"] == []
        ack = await subscribe(teacher_ws, teacher, channel)
        assert ack["channels"] == [channel]
        for stranger in (outsider, other_teacher):
            async with websockets.connect(url) as stranger_ws:
                refused = await subscribe(stranger_ws, stranger, channel)
                assert refused["channels"] == [] and refused["refused"] == [channel]
        async with websockets.connect(url) as lost_ws:
            nowhere = await subscribe(lost_ws, student, "leaderboard:no-such-class")
            assert nowhere["refused"] == ["leaderboard:no-such-class"]

        await live.feed.skip(1)
        await live.feed.skip(1)
        message = await receive_until(ws, lambda m: m.get("channel") == channel)
        assert message["kind"] == "leaderboard" and message["data"]["class_id"] == made["id"]
        assert {item["user_id"] for item in message["data"]["standings"]} == {
            s.id for s, _ in students
        }
        assert_private_data_absent(json.dumps(message), students)
        teachers = await receive_until(teacher_ws, lambda m: m.get("channel") == channel)
        assert teachers["data"]["class_id"] == made["id"]

        await ws.send(json.dumps({"type": "unsubscribe", "channels": [channel]}))
        left = await receive_until(ws, lambda m: m["type"] == "unsubscribed")
        assert left["channels"] == [channel]
