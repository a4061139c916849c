"""Lessons, quizzes (graded here), progress, spaced review, teachable-moment checks, glossary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from keel.server.auth.deps import CurrentUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.lessons import service, unlocks
from keel.server.lessons.schemas import (
    CheckOut,
    GlossaryEntryOut,
    LessonOut,
    LessonSummaryOut,
    ProgressOut,
    QuizIn,
    QuizResultOut,
    RequirementOut,
    RequirementsIn,
    ReviewQueueOut,
)
from keel.server.market.component import ScenarioQuery

router = APIRouter(tags=["lessons"])

Slug = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")]
Code = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9-]+$")]


@router.get("/lessons", summary="Every lesson, in order, with the caller's mastery of its skill")
async def list_lessons(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[LessonSummaryOut]:
    return await service.list_lessons(session, runtime, user.id)


@router.get("/lessons/progress", summary="The caller's mastery of every skill, reviews due today")
async def lesson_progress(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep, scenario: ScenarioQuery = "default"
) -> ProgressOut:
    return await service.progress(session, runtime, user.id, scenario)


@router.get(
    "/lessons/reviews",
    summary="Questions due for review today (days 1, 3 and 7 of the market's calendar)",
)
async def review_queue(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep, scenario: ScenarioQuery = "default"
) -> ReviewQueueOut:
    return await service.review_queue(session, runtime, user.id, scenario)


@router.get(
    "/lessons/checks/{code}",
    summary="A two-question check, offered the first time the caller met refusal `code`",
)
async def lesson_check(
    code: Code, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> CheckOut:
    return await service.check_for(session, runtime, user.id, code)


@router.get("/lessons/{slug}", summary="One lesson: its words, quiz (no answers) and live piece")
async def get_lesson(
    slug: Slug, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> LessonOut:
    return await service.lesson_detail(session, runtime, user.id, slug)


@router.post("/lessons/{slug}/quiz", summary="Answer some or all of a lesson's questions")
async def answer_quiz(
    slug: Slug, body: QuizIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> QuizResultOut:
    return await service.submit_quiz(session, runtime, user.id, slug, body)


@router.get("/glossary", summary="Every word the app uses, explained")
async def list_glossary(runtime: RuntimeDep) -> list[GlossaryEntryOut]:
    return service.glossary(runtime)


@router.get("/glossary/{slug}", summary="One glossary entry")
async def glossary_entry(slug: Slug, runtime: RuntimeDep) -> GlossaryEntryOut:
    return service.glossary_entry(runtime, slug)


@router.get(
    "/lessons/requirements/{account_id}",
    summary="Features of an account locked until a lesson is mastered",
)
async def lesson_requirements(
    account_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[RequirementOut]:
    return await unlocks.requirements_of(session, runtime, user, account_id)


@router.put(
    "/lessons/requirements/{account_id}",
    summary="Lock features of an account (yours, or a linked minor's) until a lesson is mastered",
)
async def set_lesson_requirements(
    account_id: str,
    body: RequirementsIn,
    user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> list[RequirementOut]:
    return await unlocks.set_requirements(session, runtime, user, account_id, body)
