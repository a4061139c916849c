"""A class's leaderboard through the API: every student ranked by the teacher's score with the
raw return beside it, breaker compliance counted from real refusals, the CSV the same table,
and a new board on the teacher's channel at each market day's close."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from httpx import AsyncClient

from keel.domain.enums import Permission
from keel.risk.transitions import BreakerMode
from keel.server.pubsub import get_pubsub
from keel.server.runtime import Runtime
from tests.integration.classes.factories import create_class, create_teacher, students_signed_in
from tests.integration.lessons.factories import answer, right_answers
from tests.integration.orders.factories import place


def _close(a: float | None, b: str) -> bool:
    return (a is None and b == "") or (a is not None and math.isclose(a, float(b), abs_tol=1e-9))


async def test_the_leaderboard_ranks_every_student_and_the_csv_matches(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(client, teacher, score="sharpe")
    students = await students_signed_in(client, teacher, made["id"], 4)
    live = runtime.scenarios[made["scenario_id"]]
    seen: list[dict[str, Any]] = []
    get_pubsub(runtime).add_listener(
        lambda _, message: seen.append(message), f"leaderboards:{teacher.id}".__eq__
    )
    (bold, bold_account), (careful, careful_account), (idle, _), (halted, halted_account) = students
    assert (await place(client, bold, bold_account, notional="4900")).status_code == 201
    assert (await place(client, careful, careful_account, notional="800")).status_code == 201
    assert (await place(client, halted, halted_account, notional="500")).status_code == 201
    await answer(client, careful, "order-types", right_answers(runtime, "order-types"))

    # A breaker refuses one of `halted`'s orders: one order in two did not respect a breaker.
    assert live.risk is not None
    live.risk.set_mode(BreakerMode.ENFORCE)
    async with runtime.sessionmaker() as session, session.begin():
        await live.risk.force(
            Permission.CLOSED, symbol=None, by="test", reason="drill", session=session
        )
    refused = await place(client, halted, halted_account, notional="100")
    assert refused.status_code == 422 and refused.json()["type"] == "/problems/breaker-closed"
    async with runtime.sessionmaker() as session, session.begin():
        await live.risk.force(
            Permission.OPEN, symbol=None, by="test", reason="drill", session=session
        )
    live.risk.set_mode(BreakerMode.MEASURE_ONLY)

    for _ in range(6):
        await live.feed.skip(1)
    assert len(seen) >= 5  # one board per market day's close
    assert {item["user_id"] for item in seen[-1]["standings"]} == {s.id for s, _ in students}

    response = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard", headers=teacher.headers
    )
    assert response.status_code == 200, response.text
    board = response.json()
    assert board["score"] == "sharpe" and board["market_date"] == str(live.feed.market_date)
    standings = board["standings"]
    by_id = {item["user_id"]: item for item in standings}
    assert [item["rank"] for item in standings] == sorted(item["rank"] for item in standings)
    scored = [item["score"] for item in standings if item["score"] is not None]
    assert scored == sorted(scored, reverse=True)
    assert standings[-1]["user_id"] == idle.id and standings[-1]["score"] is None
    assert by_id[idle.id]["total_return"] == 0 and by_id[idle.id]["breaker_compliance"] is None
    assert by_id[halted.id]["orders"] == 2 and by_id[halted.id]["breaker_compliance"] == 0.5
    assert by_id[bold.id]["breaker_compliance"] == 1.0
    assert by_id[careful.id]["lesson_mastery"] > 0 == by_id[bold.id]["lesson_mastery"]
    # The bold student's 49 % of cash in SPX moves about six times the careful one's 8 %.
    assert abs(by_id[bold.id]["total_return"]) > 3 * abs(by_id[careful.id]["total_return"])
    assert by_id[bold.id]["days"] >= 5 and by_id[bold.id]["max_drawdown"] >= 0
    assert [r["regime"] for r in by_id[bold.id]["regimes"]] == ["HIGH", "EXTREME"]
    assert seen[-1]["standings"] == standings

    exported = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard.csv", headers=teacher.headers
    )
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["name"] for row in rows] == [item["name"] for item in standings]
    for row, item in zip(rows, standings, strict=True):
        assert int(row["rank"]) == item["rank"] and row["equity"] == item["equity"]
        for field in ("score", "total_return", "sharpe", "sortino", "max_drawdown"):
            assert _close(item[field], row[field]), (field, item[field], row[field])

    by_sortino = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard",
        params={"score": "sortino"},
        headers=teacher.headers,
    )
    assert by_sortino.json()["score"] == "sortino"
    assert all(i["score"] == i["sortino"] for i in by_sortino.json()["standings"])
    chosen = await client.patch(
        f"/api/v1/classes/{made['id']}", json={"score": "calmar"}, headers=teacher.headers
    )
    assert chosen.status_code == 200 and chosen.json()["score"] == "calmar"
    calmar = await client.get(f"/api/v1/classes/{made['id']}/leaderboard", headers=teacher.headers)
    assert calmar.json()["score"] == "calmar"
    bad = await client.get(
        f"/api/v1/classes/{made['id']}/leaderboard",
        params={"score": "return"},
        headers=teacher.headers,
    )
    assert bad.status_code == 422
