"""Mastery that unlocks: an account's holder, or a minor's guardian, locks a feature (limit or
stop orders, short selling) until a lesson is mastered; the order gate enforces the locks
(`keel.risk.unlocks`), each refusal naming the lesson.

A lock opens once the learner's latest answers to the lesson's quiz are at least *familiar*
(`keel.learning.grading.unlocks`). The order workspace asks `lesson_locks` for each account it
opens: one indexed read of the account's requirements, and the learner's answers only when there
are some.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Role
from keel.domain.unlocks import Feature, LessonLock
from keel.learning import Lesson, Library
from keel.learning.grading import unlocks
from keel.server.auth.models import User
from keel.server.errors import not_found
from keel.server.guardians import repository as guardians_repo
from keel.server.lessons import repository
from keel.server.lessons.links import lesson_url
from keel.server.lessons.models import GUARDIAN, OWNER, LessonRequirementRow
from keel.server.lessons.schemas import RequirementOut, RequirementsIn
from keel.server.lessons.service import library_of
from keel.server.runtime import Runtime


def _mastered(lesson: Lesson, latest: dict[tuple[str, str], bool]) -> bool:
    right = sum(1 for q in lesson.quiz if latest.get((lesson.slug, q.id), False))
    return unlocks(right, len(lesson.quiz))


async def lesson_locks(
    session: AsyncSession,
    library: Library | None,
    account_id: str,
    user_id: str,
    rows: Sequence[LessonRequirementRow] | None = None,
) -> dict[Feature, LessonLock]:
    """The features of account `account_id` still locked behind a lesson its owner has not
    mastered (empty for an account with no requirements). `rows`: its requirements, when the
    caller read them already (the order desk reads a whole batch's in one query)."""
    if rows is None:
        rows = await repository.requirements(session, account_id)
    if not rows or library is None:
        return {}
    latest = await repository.latest_answers(session, user_id)
    locks: dict[Feature, LessonLock] = {}
    for row in rows:
        lesson = library.lesson(row.lesson)
        if lesson is not None and not _mastered(lesson, latest):
            locks.setdefault(
                Feature(row.feature), LessonLock(Feature(row.feature), lesson.slug, lesson.title)
            )
    return locks


async def _layer(session: AsyncSession, user: User, account_id: str) -> tuple[str, str]:
    """(the caller's layer on the account, the account's owner); 404 for anyone else."""
    owner = await repository.account_owner(session, account_id)
    if owner is None:
        raise not_found("account")
    if owner == user.id:
        return OWNER, owner
    if user.role == Role.GUARDIAN.value and await guardians_repo.link(session, user.id, owner):
        return GUARDIAN, owner
    raise not_found("account")


async def requirements_of(
    session: AsyncSession, runtime: Runtime, user: User, account_id: str
) -> list[RequirementOut]:
    _, owner = await _layer(session, user, account_id)
    library = library_of(runtime)
    latest = await repository.latest_answers(session, owner)
    shown = []
    for row in await repository.requirements(session, account_id):
        lesson = library.lesson(row.lesson)
        if lesson is None:
            continue
        shown.append(
            RequirementOut(
                feature=row.feature,
                lesson=lesson.slug,
                title=lesson.title,
                url=lesson_url(lesson.slug),
                set_by=row.layer,
                unlocked=_mastered(lesson, latest),
            )
        )
    return shown


async def set_requirements(
    session: AsyncSession, runtime: Runtime, user: User, account_id: str, body: RequirementsIn
) -> list[RequirementOut]:
    """Replace the caller's own locks on the account (a minor cannot lift a guardian's)."""
    layer, _ = await _layer(session, user, account_id)
    library = library_of(runtime)
    for lesson in body.requirements.values():
        if library.lesson(lesson) is None:
            raise not_found("lesson")
    now = runtime.clock.now()
    rows = [
        LessonRequirementRow(
            account_id=account_id,
            feature=feature,
            layer=layer,
            lesson=lesson,
            set_by=user.id,
            updated_at=now,
        )
        for feature, lesson in sorted(body.requirements.items())
    ]
    await repository.replace_requirements(session, account_id, layer, rows)
    return await requirements_of(session, runtime, user, account_id)
