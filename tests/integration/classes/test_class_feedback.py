"""A teacher triages the feedback of their classes: what their students sent while in the class
(and their own), with the page and the flags, filtered by class, with the admin's triage actions.
Nobody outside the class is shown: another teacher gets nothing (404 for one item), a learner 403."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.classes.factories import create_class, create_teacher, students_signed_in

TEACHER_FEEDBACK = "/api/v1/teacher/feedback"


async def send(client: AsyncClient, who: AuthedUser, text: str, page: str, **fields: Any) -> str:
    sent = await client.post(
        "/api/v1/feedback", json={"text": text, "page": page, **fields}, headers=who.headers
    )
    assert sent.status_code == 201, sent.text
    feedback_id: str = sent.json()["id"]
    return feedback_id


async def listed(client: AsyncClient, who: AuthedUser, query: str = "") -> dict[str, Any]:
    response = await client.get(f"{TEACHER_FEEDBACK}{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_teacher_triages_what_their_classes_sent(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    teacher = await create_teacher(client, runtime, admin)
    period_3 = await create_class(client, teacher)
    period_5 = await create_class(client, teacher, name="Period 5")
    (ana, _), (ben, _) = await students_signed_in(client, teacher, period_3["id"], 2)
    ((cleo, _),) = await students_signed_in(client, teacher, period_5["id"], 1)
    late = await create_user(client)  # joins with the code after sending feedback once
    outsider = await create_user(client)

    before_joining = await send(client, late, "Where is my class?", "/classes")
    joined = await client.post(
        "/api/v1/classes/join", json={"code": period_3["join_code"]}, headers=late.headers
    )
    assert joined.status_code == 200, joined.text
    from_ana = await send(
        client, ana, "The order form confuses me.", "/trade", app_state={"ui": {"step": 2}}
    )
    from_ben = await send(client, ben, "Chart colours?", "/markets/SPX")
    from_late = await send(client, late, "Found it, thanks.", "/classes")
    from_cleo = await send(client, cleo, "Leaderboard is fun.", "/classes")
    from_teacher = await send(client, teacher, "Can I rename a class?", "/classes")
    from_outsider = await send(client, outsider, "Not in a class.", "/markets")

    everything = await listed(client, teacher)
    ids = [item["id"] for item in everything["items"]]
    assert set(ids) == {from_ana, from_ben, from_late, from_cleo, from_teacher}
    assert before_joining not in ids and from_outsider not in ids  # never outside the class
    assert everything["total"] == 5 and everything["counts"] == {"new": 5}
    first = next(item for item in everything["items"] if item["id"] == from_ana)
    assert first["page"] == "/trade" and first["has_app_state"] is True
    assert first["flags"] == {"feedback-button": True, "model-signals": False}
    assert first["user_name"] == "Student 00" and first["user_email"] == ana.email

    only_3 = await listed(client, teacher, f"?class_id={period_3['id']}")
    assert {item["id"] for item in only_3["items"]} == {from_ana, from_ben, from_late}
    assert only_3["counts"] == {"new": 3}
    only_5 = await listed(client, teacher, f"?class_id={period_5['id']}&page=/classes")
    assert [item["id"] for item in only_5["items"]] == [from_cleo]

    triaged = await client.patch(
        f"{TEACHER_FEEDBACK}/{from_ana}",
        json={"status": "triaged", "note": "Show the class the order types lesson"},
        headers=teacher.headers,
    )
    assert triaged.status_code == 200, triaged.text
    assert triaged.json()["status"] == "triaged" and triaged.json()["triaged_by"] == teacher.email
    assert triaged.json()["app_state"] == {"ui": {"step": 2}}
    done = await client.patch(
        f"{TEACHER_FEEDBACK}/{from_teacher}", json={"status": "done"}, headers=teacher.headers
    )
    assert done.status_code == 200, done.text
    still_new = await listed(client, teacher, "?status=new")
    assert {item["id"] for item in still_new["items"]} == {from_ben, from_late, from_cleo}
    assert still_new["counts"] == {"new": 3, "triaged": 1, "done": 1}
    detail = await client.get(f"{TEACHER_FEEDBACK}/{from_ana}", headers=teacher.headers)
    assert detail.status_code == 200 and detail.json()["note"].startswith("Show the class")

    # The admin's list is the same feedback: the teacher's triage shows there.
    seen_by_admin = await client.get(f"/api/v1/admin/feedback/{from_ana}", headers=admin.headers)
    assert seen_by_admin.json()["status"] == "triaged"
    assert seen_by_admin.json()["triaged_by"] == teacher.email
    # An admin may do what any teacher may: every class's feedback.
    admins_view = await listed(client, admin)
    assert {from_ana, from_ben, from_late, from_cleo} <= {i["id"] for i in admins_view["items"]}
    assert from_outsider not in {i["id"] for i in admins_view["items"]}

    # Outside feedback is not the teacher's, even asked for by its id.
    for path in (f"{TEACHER_FEEDBACK}/{from_outsider}", f"{TEACHER_FEEDBACK}/{before_joining}"):
        assert (await client.get(path, headers=teacher.headers)).status_code == 404
        refused = await client.patch(path, json={"status": "done"}, headers=teacher.headers)
        assert refused.status_code == 404


async def test_nobody_else_reads_a_classs_feedback(client: AsyncClient, runtime: Runtime) -> None:
    admin = await create_admin(client, runtime)
    teacher = await create_teacher(client, runtime, admin)
    other = await create_teacher(client, runtime, admin)
    made = await create_class(client, teacher)
    ((student, _),) = await students_signed_in(client, teacher, made["id"], 1)
    feedback_id = await send(client, student, "Help!", "/trade")

    nothing = await listed(client, other)
    assert nothing == {"total": 0, "counts": {}, "items": []}
    item = f"{TEACHER_FEEDBACK}/{feedback_id}"
    assert (await client.get(item, headers=other.headers)).status_code == 404
    patched = await client.patch(item, json={"status": "done"}, headers=other.headers)
    assert patched.status_code == 404 and patched.json()["type"] == "/problems/not-found"
    by_class = await client.get(f"{TEACHER_FEEDBACK}?class_id={made['id']}", headers=other.headers)
    assert by_class.status_code == 404

    for path in (TEACHER_FEEDBACK, item):
        answer = await client.get(path, headers=student.headers)
        assert answer.status_code == 403 and answer.json()["type"] == "/problems/teacher-only"
    patched = await client.patch(item, json={"status": "done"}, headers=student.headers)
    assert patched.status_code == 403
    assert (await client.get(TEACHER_FEEDBACK)).status_code == 401

    unchanged = await client.get(f"/api/v1/admin/feedback/{feedback_id}", headers=admin.headers)
    assert unchanged.json()["status"] == "new"
    bad = await client.get(f"{TEACHER_FEEDBACK}?status=closed", headers=teacher.headers)
    assert bad.status_code == 422 and bad.json()["type"] == "/problems/validation-error"
