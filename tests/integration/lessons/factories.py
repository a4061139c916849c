"""Lessons for integration tests: the right (or a wrong) answer to a question, from the content."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from keel.learning import Library
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser


def library(runtime: Runtime) -> Library:
    assert runtime.lessons is not None
    return runtime.lessons


def right_answers(runtime: Runtime, slug: str) -> dict[str, str]:
    lesson = library(runtime).lesson(slug)
    assert lesson is not None
    return {q.id: q.answer for q in lesson.quiz}


def wrong_answers(runtime: Runtime, slug: str) -> dict[str, str]:
    lesson = library(runtime).lesson(slug)
    assert lesson is not None
    return {q.id: next(k for k in q.keys if k != q.answer) for q in lesson.quiz}


async def answer(
    client: AsyncClient, user: AuthedUser, slug: str, answers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/lessons/{slug}/quiz", json={"answers": answers}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
