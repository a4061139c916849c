"""All SQL of classes: classes, members, and the batched reads of a class's leaderboard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, String, and_, case, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User
from keel.server.classes.models import ClassMemberRow, ClassRow, EquityFiguresRow
from keel.server.feedback.models import FeedbackRow
from keel.server.lessons.models import QuizAnswerRow, RefusalMomentRow
from keel.server.orders.models import OrderRow


async def get_class(session: AsyncSession, class_id: str) -> ClassRow | None:
    return await session.get(ClassRow, class_id)


async def by_join_code(session: AsyncSession, code: str) -> ClassRow | None:
    query = select(ClassRow).where(ClassRow.join_code == code)
    return (await session.execute(query)).scalars().first()


async def classes_of_teacher(session: AsyncSession, teacher_id: str | None) -> Sequence[ClassRow]:
    """The teacher's classes (every class for None), newest first."""
    query = select(ClassRow).order_by(ClassRow.created_at.desc(), ClassRow.id)
    if teacher_id is not None:
        query = query.where(ClassRow.teacher_id == teacher_id)
    return (await session.execute(query)).scalars().all()


async def classes_of_student(session: AsyncSession, user_id: str) -> Sequence[tuple[ClassRow, str]]:
    """(class, the student's account in it) for every class the user belongs to."""
    query = (
        select(ClassRow, ClassMemberRow.account_id)
        .join(ClassMemberRow, ClassMemberRow.class_id == ClassRow.id)
        .where(ClassMemberRow.user_id == user_id)
        .order_by(ClassRow.created_at.desc())
    )
    return [(row, account_id) for row, account_id in (await session.execute(query)).all()]


async def classes_of_scenario(session: AsyncSession, scenario_id: str) -> Sequence[ClassRow]:
    query = select(ClassRow).where(ClassRow.scenario_id == scenario_id)
    return (await session.execute(query)).scalars().all()


async def student_counts(session: AsyncSession, class_ids: Collection[str]) -> dict[str, int]:
    query = (
        select(ClassMemberRow.class_id, func.count())
        .where(ClassMemberRow.class_id.in_(sorted(class_ids)))
        .group_by(ClassMemberRow.class_id)
    )
    return {class_id: count for class_id, count in (await session.execute(query)).all()}


async def teacher_names(session: AsyncSession, user_ids: Collection[str]) -> dict[str, str]:
    query = select(User.id, User.display_name).where(User.id.in_(sorted(user_ids)))
    return {user_id: name for user_id, name in (await session.execute(query)).all()}


async def member(session: AsyncSession, class_id: str, user_id: str) -> ClassMemberRow | None:
    return await session.get(ClassMemberRow, (class_id, user_id))


async def members(session: AsyncSession, class_id: str) -> Sequence[tuple[ClassMemberRow, User]]:
    """The class's students with their user rows, by name."""
    query = (
        select(ClassMemberRow, User)
        .join(User, User.id == ClassMemberRow.user_id)
        .where(ClassMemberRow.class_id == class_id)
        .order_by(User.display_name, User.email)
    )
    return [(row, user) for row, user in (await session.execute(query)).all()]


async def may_watch(session: AsyncSession, class_id: str, user_id: str) -> bool:
    """Whether the user teaches the class or is one of its students (one query)."""
    taught = select(ClassRow.id).where(ClassRow.id == class_id, ClassRow.teacher_id == user_id)
    joined = select(ClassMemberRow.class_id).where(
        ClassMemberRow.class_id == class_id, ClassMemberRow.user_id == user_id
    )
    return (await session.scalar(select(or_(exists(taught), exists(joined))))) is True


def feedback_scope(
    teacher_id: str | None, class_id: str | None, *, own_id: str | None
) -> ColumnElement[bool]:
    """The feedback a teacher triages, as a condition on `FeedbackRow`: what a student of one of
    their classes (of any class for `teacher_id` None, an admin; of `class_id` only, when given)
    sent since joining it, and what `own_id` (the teacher) sent."""
    conditions = [
        ClassMemberRow.user_id == FeedbackRow.user_id,
        FeedbackRow.recorded_at >= ClassMemberRow.joined_at,
    ]
    if class_id is not None:
        conditions.append(ClassMemberRow.class_id == class_id)
    if teacher_id is not None:
        taught = select(ClassRow.id).where(ClassRow.teacher_id == teacher_id)
        conditions.append(ClassMemberRow.class_id.in_(taught))
    students = exists(select(ClassMemberRow.class_id).where(and_(*conditions)))
    return students if own_id is None else or_(students, FeedbackRow.user_id == own_id)


async def emails_taken(session: AsyncSession, emails: Collection[str]) -> set[str]:
    query = select(User.email).where(User.email.in_(sorted(emails)))
    return set((await session.execute(query)).scalars())


# ----- the leaderboard's reads: a fixed number of queries for any class size --------------------


@dataclass(frozen=True, slots=True)
class MemberAccount:
    user_id: str
    name: str
    account_id: str
    epoch: int
    starting_cash: Decimal
    figures: EquityFiguresRow | None
    """Its running end-of-day figures (None before its first close in a class)."""


async def member_accounts(session: AsyncSession, class_id: str) -> list[MemberAccount]:
    """The class's students, their accounts and their running figures (one query)."""
    query = (
        select(
            ClassMemberRow.user_id,
            User.display_name,
            PaperAccount.id,
            PaperAccount.epoch,
            PaperAccount.starting_cash,
            EquityFiguresRow,
        )
        .join(User, User.id == ClassMemberRow.user_id)
        .join(PaperAccount, PaperAccount.id == ClassMemberRow.account_id)
        .outerjoin(EquityFiguresRow, EquityFiguresRow.account_id == PaperAccount.id)
        .where(ClassMemberRow.class_id == class_id)
    )
    return [MemberAccount(*row) for row in (await session.execute(query)).all()]


async def scenario_member_accounts(session: AsyncSession, scenario_id: str) -> list[MemberAccount]:
    """Every account of a class in the scenario, with its running figures (one query)."""
    query = (
        select(
            ClassMemberRow.user_id,
            PaperAccount.id,
            PaperAccount.epoch,
            PaperAccount.starting_cash,
            EquityFiguresRow,
        )
        .join(ClassRow, ClassRow.id == ClassMemberRow.class_id)
        .join(PaperAccount, PaperAccount.id == ClassMemberRow.account_id)
        .outerjoin(EquityFiguresRow, EquityFiguresRow.account_id == PaperAccount.id)
        .where(ClassRow.scenario_id == scenario_id)
    )
    return [
        MemberAccount(user_id, "", account_id, epoch, cash, figures)
        for user_id, account_id, epoch, cash, figures in (await session.execute(query)).all()
    ]


async def order_counts(
    session: AsyncSession, accounts: Sequence[MemberAccount], breaker_codes: Collection[str]
) -> dict[str, tuple[int, int]]:
    """Account → (orders stored in its epoch, those a breaker refused or cut), plus the orders
    a breaker refused at placement (never stored as orders; kept as teachable moments)."""
    epochs = {item.account_id: item.epoch for item in accounts}
    # A JSON column stores "no cut" as JSON null, not SQL NULL: compare its text.
    cut = func.coalesce(cast(OrderRow.cut, String), "null")
    hit = case(
        (cut != "null", 1),
        (OrderRow.rejection_code.in_(sorted(breaker_codes)), 1),
        else_=0,
    )
    stored = (
        select(OrderRow.account_id, OrderRow.epoch, func.count(), func.sum(hit))
        .where(OrderRow.account_id.in_(sorted(epochs)))
        .group_by(OrderRow.account_id, OrderRow.epoch)
    )
    counts: dict[str, tuple[int, int]] = {}
    for account_id, epoch, total, hits in (await session.execute(stored)).all():
        if epochs[account_id] == epoch:
            counts[account_id] = (int(total), int(hits or 0))
    refused = (
        select(RefusalMomentRow.account_id, func.count())
        .where(
            RefusalMomentRow.account_id.in_(sorted(epochs)),
            RefusalMomentRow.code.in_(sorted(breaker_codes)),
        )
        .group_by(RefusalMomentRow.account_id)
    )
    for account_id, total in (await session.execute(refused)).all():
        if account_id is None:
            continue
        orders, hits = counts.get(account_id, (0, 0))
        counts[account_id] = (orders + int(total), hits + int(total))
    return counts


async def latest_answers_of(
    session: AsyncSession, user_ids: Collection[str]
) -> dict[str, dict[tuple[str, str], bool]]:
    """User → (lesson, question) → whether their latest answer was right (one query)."""
    query = (
        select(
            QuizAnswerRow.user_id,
            QuizAnswerRow.lesson,
            QuizAnswerRow.question,
            QuizAnswerRow.correct,
        )
        .where(QuizAnswerRow.user_id.in_(sorted(user_ids)))
        .order_by(QuizAnswerRow.id)
    )
    latest: dict[str, dict[tuple[str, str], bool]] = defaultdict(dict)
    for user_id, lesson, question, correct in (await session.execute(query)).all():
        latest[user_id][(lesson, question)] = correct
    return latest
