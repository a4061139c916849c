"""Use cases of classes (never commits): create a class on its own market, let students in (a
roster import: `keel.server.classes.roster`; a join code: `join`), show the teacher each
student's account, orders and lesson progress read-only.

Who sees what: a class belongs to its teacher; an admin may do anything its teacher may. Anyone
else asking for a class, or a student of it, gets 404 (as for an account that is not yours). A
student sees their own classes (name, teacher, market, their account) and their class's
leaderboard (classmates' display names and figures: `class_of_member`), never the roster. A
teacher triages the feedback their students sent while in the class (`feedback_scope`).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Role
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts import service as accounts_service
from keel.server.auth.models import User
from keel.server.backtests.validation import invalid
from keel.server.classes import repository
from keel.server.classes.models import CODE, ClassMemberRow, ClassRow
from keel.server.classes.schemas import (
    ClassIn,
    ClassOut,
    StudentDetailOut,
    StudentOut,
)
from keel.server.errors import ProblemError, not_found
from keel.server.lessons import service as lessons_service
from keel.server.lessons.models import TEACHER, LessonRequirementRow
from keel.server.orders import repository as orders_repo
from keel.server.orders.schemas import OrderOut
from keel.server.orders.workspace import Workspace
from keel.server.runtime import Runtime
from keel.server.scenarios import service as scenarios_service
from keel.server.scenarios.models import ScenarioRow

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # pragma: allowlist secret (an alphabet)
"""No 0/O, 1/I/L: a code read aloud in class is typed right."""
JOIN_CODE_LENGTH = 8


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN.value


async def class_of_teacher(session: AsyncSession, user: User, class_id: str) -> ClassRow:
    """The class, if `user` teaches it or is an admin; 404 otherwise."""
    row = await repository.get_class(session, class_id)
    if row is None or (row.teacher_id != user.id and not is_admin(user)):
        raise not_found("class")
    return row


async def class_of_member(session: AsyncSession, user: User, class_id: str) -> ClassRow:
    """The class, if `user` is one of its students, teaches it or is an admin; 404 otherwise."""
    row = await repository.get_class(session, class_id)
    if row is None or not (
        is_admin(user) or await repository.may_watch(session, class_id, user.id)
    ):
        raise not_found("class")
    return row


async def watchable(session: AsyncSession, user_id: str, class_ids: Collection[str]) -> set[str]:
    """Which of these classes the user may follow live (`leaderboard:<class id>`): those they
    study in or teach; every existing one for an admin."""
    user = await session.get(User, user_id)
    if user is None:
        return set()
    shown = set()
    for class_id in sorted(set(class_ids)):
        if len(class_id) > 36:
            continue
        if is_admin(user):
            if await repository.get_class(session, class_id) is not None:
                shown.add(class_id)
        elif await repository.may_watch(session, class_id, user_id):
            shown.add(class_id)
    return shown


async def feedback_scope(
    session: AsyncSession, user: User, class_id: str | None
) -> ColumnElement[bool]:
    """What feedback a teacher triages: their own, and what their classes' students sent since
    joining (`class_id`: that class's students only; 404 when it is not the teacher's). An admin's
    is every class's."""
    if class_id is not None:
        await class_of_teacher(session, user, class_id)
    return repository.feedback_scope(
        None if is_admin(user) else user.id,
        class_id,
        own_id=user.id if class_id is None else None,
    )


async def pick_scenario(session: AsyncSession, user: User, body: ClassIn) -> ScenarioRow | None:
    """The existing scenario the class picks (one its teacher created; an admin may pick any),
    or None when the class creates its own (exactly one of the two is required)."""
    if (body.scenario is None) == (body.scenario_id is None):
        raise invalid(
            "scenario", "give either a new market (scenario) or one of yours (scenario_id)"
        )
    if body.scenario_id is None:
        return None
    row = await scenarios_service.tradable_scenario(session, body.scenario_id)
    if row.created_by != user.id and not is_admin(user):
        raise not_found("scenario")
    return row


async def _new_join_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if await repository.by_join_code(session, code) is None:
            return code


def check_lessons(runtime: Runtime, required: dict[str, str]) -> None:
    library = lessons_service.library_of(runtime)
    for feature, slug in required.items():
        if library.lesson(slug) is None:
            raise invalid(f"required_lessons.{feature}", f"there is no lesson '{slug}'")


async def create_class(
    session: AsyncSession,
    runtime: Runtime,
    teacher: User,
    body: ClassIn,
    scenario: ScenarioRow,
    *,
    now: datetime,
) -> ClassRow:
    required: dict[str, str] = {str(k): v for k, v in body.required_lessons.items()}
    check_lessons(runtime, required)
    row = ClassRow(
        id=str(uuid.uuid4()),
        name=body.name,
        teacher_id=teacher.id,
        scenario_id=scenario.id,
        join_code=await _new_join_code(session),
        score=body.score,
        required_lessons=required,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def describe(
    session: AsyncSession, rows: Sequence[ClassRow], *, private: bool, accounts: dict[str, str]
) -> list[ClassOut]:
    """Classes as shown: `private` (teacher, admin) adds the join code and head count."""
    names = await repository.teacher_names(session, {row.teacher_id for row in rows})
    counts = await repository.student_counts(session, [row.id for row in rows]) if private else {}
    shown = []
    for row in rows:
        scenario = await scenarios_service.get_scenario(session, row.scenario_id)
        shown.append(
            ClassOut(
                id=row.id,
                name=row.name,
                teacher_name=names.get(row.teacher_id, ""),
                scenario_id=row.scenario_id,
                score=row.score,
                required_lessons=row.required_lessons,
                max_position_fraction=scenario.max_position_fraction,
                join_code=row.join_code if private else None,
                student_count=counts.get(row.id, 0) if private else None,
                my_account_id=accounts.get(row.id),
                created_at=row.created_at,
            )
        )
    return shown


async def list_classes(session: AsyncSession, user: User) -> list[ClassOut]:
    """A teacher's own classes, every class for an admin, a learner's joined ones."""
    if user.role in (Role.TEACHER.value, Role.ADMIN.value):
        rows = await repository.classes_of_teacher(session, None if is_admin(user) else user.id)
        return await describe(session, rows, private=True, accounts={})
    joined = await repository.classes_of_student(session, user.id)
    accounts = {row.id: account_id for row, account_id in joined}
    return await describe(session, [row for row, _ in joined], private=False, accounts=accounts)


async def enrol(
    session: AsyncSession,
    runtime: Runtime,
    class_row: ClassRow,
    student: User,
    *,
    via: str,
    now: datetime,
) -> ClassMemberRow:
    """Open the student's account in the class's market, lock the class's required lessons on
    it, and make them a member."""
    workspace = await accounts_service.open_account(
        session, runtime, student, class_row.name[:100], None, scenario_id=class_row.scenario_id
    )
    account_id = workspace.account.id
    session.add_all(
        LessonRequirementRow(
            account_id=account_id,
            feature=feature,
            layer=TEACHER,
            lesson=lesson,
            set_by=class_row.teacher_id,
            updated_at=now,
        )
        for feature, lesson in sorted(class_row.required_lessons.items())
    )
    member = ClassMemberRow(
        class_id=class_row.id, user_id=student.id, account_id=account_id, via=via, joined_at=now
    )
    session.add(member)
    await session.flush()
    return member


async def join(session: AsyncSession, runtime: Runtime, user: User, code: str) -> ClassOut:
    """A learner joins the class whose code this is."""
    if user.role != Role.LEARNER.value:
        raise ProblemError(403, "learners-only", "Only learners join a class as a student.")
    row = await repository.by_join_code(session, code.strip().upper())
    if row is None:
        raise ProblemError(
            404, "unknown-join-code", "No class has this code. Check it with your teacher."
        )
    if await repository.member(session, row.id, user.id) is not None:
        raise ProblemError(409, "already-in-class", "You are already in this class.")
    member = await enrol(session, runtime, row, user, via=CODE, now=runtime.clock.now())
    (shown,) = await describe(session, [row], private=False, accounts={row.id: member.account_id})
    return shown


def student_out(member: ClassMemberRow, user: User, runtime: Runtime) -> StudentOut:
    return StudentOut(
        user_id=user.id,
        name=user.display_name,
        email=user.email,
        is_minor=user.is_minor_on(runtime.clock.now().date()),
        account_id=member.account_id,
        via=member.via,
        joined_at=member.joined_at,
        has_signed_in=not user.must_change_password,
    )


async def students(
    session: AsyncSession, runtime: Runtime, user: User, class_id: str
) -> list[StudentOut]:
    await class_of_teacher(session, user, class_id)
    return [student_out(m, u, runtime) for m, u in await repository.members(session, class_id)]


async def student_detail(
    session: AsyncSession, runtime: Runtime, user: User, class_id: str, student_id: str
) -> StudentDetailOut:
    """One student's account, latest orders and lesson progress, as the student sees them."""
    class_row = await class_of_teacher(session, user, class_id)
    member = await repository.member(session, class_id, student_id)
    student = await session.get(User, student_id)
    if member is None or student is None:
        raise not_found("student")
    account_row = await accounts_repo.get_account(session, member.account_id, student_id)
    if account_row is None:
        raise not_found("account")
    today = runtime.clock.now().date()
    workspace = await Workspace.open(
        session, runtime, account_row, is_minor=student.is_minor_on(today)
    )
    orders = await orders_repo.list_orders(
        session, student_id, account_id=member.account_id, limit=200
    )
    return StudentDetailOut(
        student=student_out(member, student, runtime),
        account=accounts_service.describe(workspace),
        orders=[OrderOut.model_validate(row) for row in orders],
        progress=await lessons_service.progress(
            session, runtime, student_id, class_row.scenario_id
        ),
    )
