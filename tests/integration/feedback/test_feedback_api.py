"""Feedback from any page: stored with its sender, both times and the flags in force; admins
triage it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from keel.server.feedback.schemas import MAX_APP_STATE_BYTES
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin


async def test_feedback_is_stored_with_the_flags_in_force_and_triaged(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    learner = await create_user(client)
    beta = await create_user(client)
    moved = await client.put(
        "/api/v1/admin/cohorts", json={"email": beta.email, "cohort": "beta"}, headers=admin.headers
    )
    assert moved.status_code == 200
    state = {
        "ui": {"theme": "dark", "accountId": "a1"},
        "auth": {"accessToken": "eyJ.secret", "refreshToken": "r"},
        "nested": [{"password": "hunter2", "kept": 1}],
    }
    before = datetime.now(UTC)
    sent = await client.post(
        "/api/v1/feedback",
        json={
            "text": "  The chart is hard to read.\nMore contrast?  ",
            "page": "/markets/SPX",
            "app_state": state,
        },
        headers=learner.headers,
    )
    assert sent.status_code == 201, sent.text
    receipt = sent.json()
    assert receipt["flags"] == {"feedback-button": True, "model-signals": False}
    assert receipt["market_time"] is not None
    assert datetime.fromisoformat(receipt["market_time"]).year == 2008  # the 2008 replay
    assert datetime.fromisoformat(receipt["recorded_at"]) >= before
    beta_sent = await client.post(
        "/api/v1/feedback", json={"text": "Signals!", "page": "/signals"}, headers=beta.headers
    )
    assert beta_sent.json()["flags"]["model-signals"] is True

    listed = await client.get("/api/v1/admin/feedback", headers=admin.headers)
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 2 and body["counts"] == {"new": 2}
    first = next(item for item in body["items"] if item["user_email"] == learner.email)
    assert first["text"] == "The chart is hard to read.\nMore contrast?"
    assert first["page"] == "/markets/SPX" and first["has_app_state"] is True
    assert first["cohort"] == "general" and first["status"] == "new"

    detail = (
        await client.get(f"/api/v1/admin/feedback/{first['id']}", headers=admin.headers)
    ).json()
    assert detail["app_state"] == {
        "ui": {"theme": "dark", "accountId": "a1"},
        "auth": {"accessToken": "[removed]", "refreshToken": "[removed]"},
        "nested": [{"password": "[removed]", "kept": 1}],
    }

    triaged = await client.patch(
        f"/api/v1/admin/feedback/{first['id']}",
        json={"status": "triaged", "note": "Contrast of the candles: ticket 42"},
        headers=admin.headers,
    )
    assert triaged.status_code == 200, triaged.text
    assert triaged.json()["status"] == "triaged" and triaged.json()["triaged_by"] == admin.email
    only_new = (await client.get("/api/v1/admin/feedback?status=new", headers=admin.headers)).json()
    assert [item["page"] for item in only_new["items"]] == ["/signals"]
    assert only_new["counts"] == {"new": 1, "triaged": 1}
    by_page = (
        await client.get("/api/v1/admin/feedback?page=/markets", headers=admin.headers)
    ).json()
    assert [item["id"] for item in by_page["items"]] == [first["id"]]


async def test_feedback_input_is_checked(client: AsyncClient, runtime: Runtime) -> None:
    admin = await create_admin(client, runtime)
    learner = await create_user(client)

    async def send(**fields: Any) -> Any:
        body = {"text": "fine", "page": "/", **fields}
        return await client.post("/api/v1/feedback", json=body, headers=learner.headers)

    too_big = await send(app_state={"blob": "x" * (MAX_APP_STATE_BYTES + 1)})
    assert too_big.status_code == 413
    assert too_big.json()["type"] == "/problems/feedback-state-too-large"
    assert too_big.json()["figures"]["limit"] == MAX_APP_STATE_BYTES
    assert too_big.json()["glossary"] == "/api/v1/glossary/feedback"
    for bad in (
        {"text": ""},
        {"text": "x" * 2001},
        {"page": "markets"},
        {"text": "a\x07b"},
        {"app_state": [1, 2]},
        {"extra": 1},
    ):
        answer = await send(**bad)
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["type"] == "/problems/validation-error"
    assert (
        await client.post("/api/v1/feedback", json={"text": "x", "page": "/"})
    ).status_code == 401
    learner_list = await client.get("/api/v1/admin/feedback", headers=learner.headers)
    assert learner_list.status_code == 403
    missing = await client.patch(
        "/api/v1/admin/feedback/00000000-0000-0000-0000-000000000000",
        json={"status": "done"},
        headers=admin.headers,
    )
    assert missing.status_code == 404
    wrong_status = await client.get("/api/v1/admin/feedback?status=closed", headers=admin.headers)
    assert wrong_status.status_code == 422
