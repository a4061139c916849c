"""Classes through the API: teachers made by admins, a class on its own market, a roster import
(all rows or none, one-time passwords changed at first sign-in), joining by code, the class's
rules (position limit, required lessons) enforced by the order gate, and the clock."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient
from sqlalchemy import func, select

from keel.server.auth.models import User
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user, login, unique_email
from tests.integration.breakers.factories import create_admin
from tests.integration.classes.factories import (
    create_class,
    create_teacher,
    import_students,
    market,
    roster_csv,
    signed_in,
    students_signed_in,
)
from tests.integration.orders.factories import place


async def test_only_admins_create_teachers_and_teachers_are_adults(
    client: AsyncClient, runtime: Runtime
) -> None:
    learner = await create_user(client)
    body = {"email": unique_email("t"), "display_name": "Mr Okafor", "date_of_birth": "1975-01-01"}
    refused = await client.post("/api/v1/admin/teachers", json=body, headers=learner.headers)
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/admin-only"
    admin = await create_admin(client, runtime)
    young = {**body, "date_of_birth": "2012-01-01"}
    too_young = await client.post("/api/v1/admin/teachers", json=young, headers=admin.headers)
    assert too_young.status_code == 422 and too_young.json()["type"] == "/problems/must-be-adult"
    created = await client.post("/api/v1/admin/teachers", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    password = created.json()["one_time_password"]
    # The one-time password signs in, and nothing but the password change works until then.
    tokens = await login(client, body["email"], password)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["role"] == "teacher" and me.json()["one_time_sign_in"] is True
    blocked = await client.get("/api/v1/classes", headers=headers)
    assert blocked.status_code == 403
    assert blocked.json()["type"] == "/problems/password-change-required"
    teacher = await signed_in(client, body["email"], password)
    assert (await client.get("/api/v1/classes", headers=teacher.headers)).json() == []


async def test_learners_cannot_create_classes(client: AsyncClient) -> None:
    learner = await create_user(client)
    response = await client.post(
        "/api/v1/classes", json={"name": "Mine", "scenario": market()}, headers=learner.headers
    )
    assert response.status_code == 403 and response.json()["type"] == "/problems/teacher-only"


async def test_a_class_runs_its_own_market_with_its_rules(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(
        client, teacher, score="sharpe", required_lessons={"stop_orders": "order-types"}
    )
    assert made["teacher_name"] == "Ms Rivera" and made["score"] == "sharpe"
    assert len(made["join_code"]) == 8 and made["student_count"] == 0
    assert Decimal(made["max_position_fraction"]) == Decimal("0.5")
    live = runtime.scenarios[made["scenario_id"]]
    assert live.feed.paused and str(live.feed.market_date) == "2008-09-02"

    ((student, account_id),) = await students_signed_in(client, teacher, made["id"], 1)
    account = (await client.get(f"/api/v1/accounts/{account_id}", headers=student.headers)).json()
    assert account["scenario_id"] == made["scenario_id"] and account["cash"] == "10000.00"
    # No single position above 50 % of the starting cash: the order gate's position limit.
    quote = live.feed.latest_quote("SPX")
    assert quote is not None
    too_big = await place(client, student, account_id, notional="6000")
    assert too_big.status_code == 422, too_big.text
    assert too_big.json()["type"] == "/problems/position-limit"
    assert Decimal(too_big.json()["figures"]["limit"]) == 5000
    fits = await place(client, student, account_id, notional="4000")
    assert fits.status_code == 201, fits.text
    more = await place(client, student, account_id, notional="1500")
    assert more.status_code == 422 and more.json()["type"] == "/problems/position-limit"
    # The lessons the class requires are locked on the student's account (the teacher's layer).
    stop = {
        "side": "sell",
        "type": "stop",
        "stop_price": str((quote.bid / 2).quantize(Decimal("0.01"))),
        "quantity": "0.1",
    }
    locked = await place(client, student, account_id, time_in_force="gtc", **stop)
    assert locked.status_code == 422 and locked.json()["type"] == "/problems/lesson-required"
    requirements = await client.get(
        f"/api/v1/lessons/requirements/{account_id}", headers=student.headers
    )
    assert [(r["feature"], r["set_by"]) for r in requirements.json()] == [
        ("stop_orders", "teacher")
    ]


async def test_a_roster_with_a_bad_row_imports_nobody(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(client, teacher)
    taken = await create_user(client)
    text = (
        "name,email,date_of_birth\n"
        "Ana Lima,ana@example.com,2001-03-04\n"
        ",nobody@example.com,2001-03-04\n"
        "Ben Cho,not-an-email,2001-03-04\n"
        "Cy Dee,ANA@example.com,2001-03-04\n"
        f"Dot Eve,{taken.email},2001-03-04\n"
        "Eli Fox,eli@example.com,04/03/2001\n"
    )
    async with runtime.sessionmaker() as session:
        users_before = await session.scalar(select(func.count()).select_from(User))
    response = await client.post(
        f"/api/v1/classes/{made['id']}/roster", json={"csv": text}, headers=teacher.headers
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/invalid-roster"
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [
        (3, "name"),
        (4, "email"),
        (5, "email"),
        (6, "email"),
        (7, "date_of_birth"),
    ]
    assert "line 2" in problem["errors"][2]["message"]
    assert "join with the class code" in problem["errors"][3]["message"]
    assert problem["figures"] == {"rows": 6, "rows_with_errors": 5}
    async with runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == users_before
    header = await client.post(
        f"/api/v1/classes/{made['id']}/roster",
        json={"csv": "name,mail\nAna,ana@example.com\n"},
        headers=teacher.headers,
    )
    assert header.status_code == 422 and header.json()["errors"][0]["row"] == 1


async def test_a_roster_gives_one_time_passwords_once(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(client, teacher)
    created = await import_students(client, teacher, made["id"], 3)
    assert [item["row"] for item in created] == [2, 3, 4]
    passwords = {item["one_time_password"] for item in created}
    assert len(passwords) == 3 and all(len(p) == 19 for p in passwords)
    roster = await client.get(f"/api/v1/classes/{made['id']}/students", headers=teacher.headers)
    assert roster.status_code == 200
    assert [s["has_signed_in"] for s in roster.json()] == [False, False, False]
    assert (
        "one_time_password" not in roster.text
        and created[0]["one_time_password"] not in roster.text
    )
    await signed_in(client, created[0]["email"], created[0]["one_time_password"])
    again = await client.get(f"/api/v1/classes/{made['id']}/students", headers=teacher.headers)
    assert sorted(s["has_signed_in"] for s in again.json()) == [False, False, True]
    # The same list again: those emails have accounts now; nobody is imported twice.
    twice = await client.post(
        f"/api/v1/classes/{made['id']}/roster",
        json={"csv": roster_csv(0) + "".join(f"X,{c['email']},1990-01-01\n" for c in created)},
        headers=teacher.headers,
    )
    assert twice.status_code == 422 and len(twice.json()["errors"]) == 3


async def test_learners_join_by_code_and_see_only_their_class(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    made = await create_class(client, teacher)
    learner = await create_user(client)
    wrong = await client.post(
        "/api/v1/classes/join", json={"code": "ZZZZ2222"}, headers=learner.headers
    )
    assert wrong.status_code == 404 and wrong.json()["type"] == "/problems/unknown-join-code"
    joined = await client.post(
        "/api/v1/classes/join", json={"code": made["join_code"].lower()}, headers=learner.headers
    )
    assert joined.status_code == 200, joined.text
    mine = joined.json()
    assert mine["join_code"] is None and mine["student_count"] is None
    assert mine["my_account_id"] is not None
    listed = await client.get("/api/v1/classes", headers=learner.headers)
    assert [c["id"] for c in listed.json()] == [made["id"]]
    again = await client.post(
        "/api/v1/classes/join", json={"code": made["join_code"]}, headers=learner.headers
    )
    assert again.status_code == 409 and again.json()["type"] == "/problems/already-in-class"
    refused = await client.post(
        "/api/v1/classes/join", json={"code": made["join_code"]}, headers=teacher.headers
    )
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/learners-only"


async def test_who_reads_a_class(client: AsyncClient, runtime: Runtime) -> None:
    """A teacher reads their own class's students; another teacher and the class's own students
    get 404 for the roster and a student's detail; an admin reads every class."""
    admin = await create_admin(client, runtime)
    teacher = await create_teacher(client, runtime, admin)
    other = await create_teacher(client, runtime, admin)
    made = await create_class(client, teacher)
    ((student, account_id),) = await students_signed_in(client, teacher, made["id"], 1)
    bought = await place(client, student, account_id, notional="1000")
    assert bought.status_code == 201, bought.text
    students = f"/api/v1/classes/{made['id']}/students"
    detail = f"{students}/{student.id}"
    for path in (students, detail, f"/api/v1/classes/{made['id']}/leaderboard"):
        assert (await client.get(path, headers=other.headers)).status_code == 404
        assert (await client.get(path, headers=student.headers)).status_code == 403
    shown = await client.get(detail, headers=teacher.headers)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["account"]["id"] == account_id and len(body["account"]["positions"]) == 1
    assert [o["id"] for o in body["orders"]] == [bought.json()["id"]]
    assert {s["skill"] for s in body["progress"]["skills"]} >= {"orders"}
    assert (await client.get(detail, headers=admin.headers)).status_code == 200
    all_classes = await client.get("/api/v1/classes", headers=admin.headers)
    assert made["id"] in [c["id"] for c in all_classes.json()]
    assert (await client.get("/api/v1/classes", headers=other.headers)).json() == []


async def test_the_teacher_runs_the_class_clock(client: AsyncClient, runtime: Runtime) -> None:
    teacher = await create_teacher(client, runtime)
    other = await create_teacher(client, runtime)
    made = await create_class(client, teacher)
    clock = f"/api/v1/classes/{made['id']}/clock"
    assert (
        await client.patch(clock, json={"paused": False}, headers=other.headers)
    ).status_code == 404
    resumed = await client.patch(
        clock, json={"paused": False, "seconds_per_day": 30}, headers=teacher.headers
    )
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["clock"]["paused"] is False
    assert resumed.json()["clock"]["seconds_per_day"] == 30
    paused = await client.patch(clock, json={"paused": True}, headers=teacher.headers)
    assert paused.json()["clock"]["paused"] is True
    live = runtime.scenarios[made["scenario_id"]]
    before = live.feed.position
    skipped = await client.post(f"{clock}/skip", json={"days": 2}, headers=teacher.headers)
    assert skipped.status_code == 200, skipped.text
    assert live.feed.position >= before + 2 - 1e-9
    events = await client.get(
        f"/api/v1/scenarios/{made['scenario_id']}/events",
        headers=(await create_admin(client, runtime)).headers,
    )
    actions = [(e["action"], e["actor"]) for e in events.json()]
    assert ("paused", teacher.email) in actions and ("skipped", teacher.email) in actions
    bad = await client.patch(clock, json={"seconds_per_day": 0.01}, headers=teacher.headers)
    assert bad.status_code == 422 and bad.json()["type"] == "/problems/invalid-speed"


async def test_a_class_picks_only_its_teachers_own_market(
    client: AsyncClient, runtime: Runtime
) -> None:
    teacher = await create_teacher(client, runtime)
    first = await create_class(client, teacher)
    second = await create_class(client, teacher, scenario=None, scenario_id=first["scenario_id"])
    assert second["scenario_id"] == first["scenario_id"]
    other = await create_teacher(client, runtime)
    stolen = await client.post(
        "/api/v1/classes",
        json={"name": "Mine", "scenario_id": first["scenario_id"]},
        headers=other.headers,
    )
    assert stolen.status_code == 404
    default = await client.post(
        "/api/v1/classes", json={"name": "Mine", "scenario_id": "default"}, headers=other.headers
    )
    assert default.status_code == 404
    neither = await client.post("/api/v1/classes", json={"name": "Mine"}, headers=other.headers)
    assert neither.status_code == 422
