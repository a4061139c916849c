"""All SQL of lessons: quiz answers, the review queue, refusal moments."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import PaperAccount
from keel.server.lessons.models import (
    LessonRequirementRow,
    QuizAnswerRow,
    RefusalMomentRow,
    ReviewRow,
)


async def latest_answers(session: AsyncSession, user_id: str) -> dict[tuple[str, str], bool]:
    """(lesson, question) → whether the learner's latest answer to it was right."""
    query = (
        select(QuizAnswerRow.lesson, QuizAnswerRow.question, QuizAnswerRow.correct)
        .where(QuizAnswerRow.user_id == user_id)
        .order_by(QuizAnswerRow.id)
    )
    return {
        (lesson, question): correct for lesson, question, correct in await session.execute(query)
    }


async def add_answers(session: AsyncSession, rows: Sequence[QuizAnswerRow]) -> None:
    session.add_all(rows)
    await session.flush()


async def reviews(
    session: AsyncSession, user_id: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], ReviewRow]:
    if not keys:
        return {}
    lessons = {lesson for lesson, _ in keys}
    query = select(ReviewRow).where(ReviewRow.user_id == user_id, ReviewRow.lesson.in_(lessons))
    found = (await session.execute(query)).scalars()
    return {(row.lesson, row.question): row for row in found if (row.lesson, row.question) in keys}


async def add_reviews(session: AsyncSession, rows: Sequence[ReviewRow]) -> None:
    session.add_all(rows)
    await session.flush()


async def due_reviews(
    session: AsyncSession, user_id: str, scenario_id: str, today: date
) -> list[ReviewRow]:
    query = (
        select(ReviewRow)
        .where(
            ReviewRow.user_id == user_id,
            ReviewRow.scenario_id == scenario_id,
            ReviewRow.due_on.is_not(None),
            ReviewRow.due_on <= today,
        )
        .order_by(ReviewRow.due_on, ReviewRow.lesson, ReviewRow.question)
    )
    return list((await session.execute(query)).scalars())


async def last_refusal(session: AsyncSession, user_id: str) -> RefusalMomentRow | None:
    query = (
        select(RefusalMomentRow)
        .where(RefusalMomentRow.user_id == user_id)
        .order_by(RefusalMomentRow.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def refusals_with_code(session: AsyncSession, user_id: str, code: str) -> int:
    query = select(func.count()).where(
        RefusalMomentRow.user_id == user_id, RefusalMomentRow.code == code
    )
    return int((await session.execute(query)).scalar_one())


async def add_refusal(session: AsyncSession, row: RefusalMomentRow) -> None:
    session.add(row)
    await session.flush()


async def account_scenario(session: AsyncSession, user_id: str, account_id: str) -> str | None:
    """The scenario of the caller's account `account_id` (None: no such account of theirs)."""
    query = select(PaperAccount.scenario_id).where(
        PaperAccount.id == account_id, PaperAccount.user_id == user_id
    )
    return (await session.execute(query)).scalars().first()


async def requirements(session: AsyncSession, account_id: str) -> list[LessonRequirementRow]:
    query = (
        select(LessonRequirementRow)
        .where(LessonRequirementRow.account_id == account_id)
        .order_by(LessonRequirementRow.feature, LessonRequirementRow.layer)
    )
    return list((await session.execute(query)).scalars())


async def requirements_of_accounts(
    session: AsyncSession, account_ids: Collection[str]
) -> dict[str, list[LessonRequirementRow]]:
    """The requirements of each account (every id has a list; one query)."""
    query = select(LessonRequirementRow).where(
        LessonRequirementRow.account_id.in_(sorted(account_ids))
    )
    grouped: dict[str, list[LessonRequirementRow]] = {account_id: [] for account_id in account_ids}
    for row in (await session.execute(query)).scalars():
        grouped[row.account_id].append(row)
    return grouped


async def replace_requirements(
    session: AsyncSession, account_id: str, layer: str, rows: Sequence[LessonRequirementRow]
) -> None:
    await session.execute(
        delete(LessonRequirementRow).where(
            LessonRequirementRow.account_id == account_id, LessonRequirementRow.layer == layer
        )
    )
    session.add_all(rows)
    await session.flush()


async def account_owner(session: AsyncSession, account_id: str) -> str | None:
    query = select(PaperAccount.user_id).where(PaperAccount.id == account_id)
    return (await session.execute(query)).scalars().first()
