"""Lessons through the API: listed with mastery, read without answers, graded on the server."""

from __future__ import annotations

import json
from typing import Any

from httpx import AsyncClient

from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.lessons.factories import answer, library, right_answers, wrong_answers


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


async def test_lessons_are_listed_in_order_with_mastery(client: AsyncClient) -> None:
    user = await create_user(client)
    listed = (await client.get("/api/v1/lessons", headers=user.headers)).json()
    assert len(listed) >= 14
    assert [item["position"] for item in listed] == sorted(item["position"] for item in listed)
    assert {item["mastery"]["level"] for item in listed} == {"not_started"}
    assert all(item["url"] == f"/api/v1/lessons/{item['slug']}" for item in listed)
    assert (await client.get("/api/v1/lessons")).status_code == 401


async def test_a_lesson_sent_to_a_learner_contains_no_answer(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    for lesson in library(runtime).lessons:
        response = await client.get(f"/api/v1/lessons/{lesson.slug}", headers=user.headers)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert len(payload["quiz"]) == len(lesson.quiz)
        assert not {"answer", "feedback", "explanation", "correct"} & _keys(payload["quiz"])
        text = json.dumps(payload)
        for question in lesson.quiz:
            assert json.dumps(question.explanation)[1:-1] not in text, question.id
            for feedback in question.feedback.values():
                assert json.dumps(feedback)[1:-1] not in text, question.id
        assert payload["figures"] == dict(lesson.figures)
        assert "{{" not in payload["markdown"]


async def test_the_volatility_lesson_shows_spx_regime_now(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    payload = (
        await client.get("/api/v1/lessons/volatility-and-regimes", headers=user.headers)
    ).json()
    piece = payload["interactive"]
    shown = (await client.get("/api/v1/volatility/SPX", headers=user.headers)).json()
    assert piece["kind"] == "spx-regime" and piece["symbol"] == "SPX"
    assert piece["regime"] in {"LOW", "NORMAL", "HIGH", "EXTREME"}
    assert (piece["regime"], piece["breaker_level"]) == (shown["regime"], shown["breaker_level"])


async def test_grading_is_deterministic_and_moves_mastery(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    slug = "order-types"
    right, wrong = right_answers(runtime, slug), wrong_answers(runtime, slug)
    mixed = {qid: (right if i < 3 else wrong)[qid] for i, qid in enumerate(right)}
    first = await answer(client, user, slug, mixed)
    again = await answer(client, user, slug, mixed)
    assert first["results"] == again["results"]
    assert (first["right"], first["answered"]) == (3, 4)
    assert first["mastery"]["level"] == "familiar" and first["mastery"]["percent"] == 75
    (missed,) = [r for r in first["results"] if not r["correct"]]
    lesson = library(runtime).lesson(slug)
    assert lesson is not None
    question = lesson.question(missed["question_id"])
    assert question is not None
    assert missed["feedback"] == question.feedback[missed["chosen"]]
    assert missed["answer"] == question.answer
    done = await answer(client, user, slug, {missed["question_id"]: question.answer})
    assert done["mastery"]["level"] == "proficient"
    wrong_all = await answer(client, user, slug, wrong)
    assert wrong_all["mastery"]["level"] == "attempted" and wrong_all["right"] == 0
    listed = (await client.get("/api/v1/lessons", headers=user.headers)).json()
    (shown,) = [item for item in listed if item["slug"] == slug]
    assert shown["mastery"]["level"] == "attempted"


async def test_unknown_questions_and_choices_are_plain_problems(client: AsyncClient) -> None:
    user = await create_user(client)
    for answers, code in (
        ({"nope": "a"}, "unknown-question"),
        ({"market-order": "z"}, "unknown-choice"),
    ):
        response = await client.post(
            "/api/v1/lessons/order-types/quiz", json={"answers": answers}, headers=user.headers
        )
        assert response.status_code == 422
        assert response.json()["type"] == f"/problems/{code}"
        assert response.json()["glossary"] == "/api/v1/glossary/quiz"
    missing = await client.get("/api/v1/lessons/no-such-lesson", headers=user.headers)
    assert missing.status_code == 404


async def test_progress_and_glossary(client: AsyncClient, runtime: Runtime) -> None:
    user = await create_user(client)
    await answer(client, user, "drawdowns", right_answers(runtime, "drawdowns"))
    progress = (await client.get("/api/v1/lessons/progress", headers=user.headers)).json()
    levels = {skill["skill"]: skill["level"] for skill in progress["skills"]}
    assert levels["drawdowns"] == "proficient" and levels["orders"] == "not_started"
    assert progress["reviews_due"] == 0
    glossary = (await client.get("/api/v1/glossary")).json()
    assert len(glossary) == len(library(runtime).glossary)
    entry = (await client.get("/api/v1/glossary/drawdown")).json()
    assert entry["lesson"] == "/api/v1/lessons/drawdowns"
    assert (await client.get(entry["lesson"], headers=user.headers)).status_code == 200
