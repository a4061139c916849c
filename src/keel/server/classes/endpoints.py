"""Classes: a teacher's class on its own market, its roster, its clock, its students (read-only)
and its leaderboard; learners join with a code; admins create teachers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from keel.domain.enums import Role
from keel.learning.leaderboard import Score
from keel.server.auth.deps import AdminUser, CurrentUser, TeacherUser
from keel.server.auth.service import create_user
from keel.server.classes import board, roster, service
from keel.server.classes.schemas import (
    ClassIn,
    ClassOut,
    ClassPatchIn,
    JoinIn,
    LeaderboardOut,
    NewTeacherIn,
    NewTeacherOut,
    RosterIn,
    RosterOut,
    ScoreName,
    StudentDetailOut,
    StudentOut,
)
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.market.component import market_data
from keel.server.scenarios import service as scenarios_service
from keel.server.scenarios.control import Actor, ClockChange, change_clock
from keel.server.scenarios.endpoints import describe as describe_scenario
from keel.server.scenarios.launcher import run_scenario
from keel.server.scenarios.schemas import ClockChangeIn, ScenarioOut, SkipIn
from keel.server.scenarios.service import NewScenario

router = APIRouter(tags=["classes"])


@router.post(
    "/admin/teachers",
    status_code=status.HTTP_201_CREATED,
    summary="Create a teacher with a one-time password (admin)",
)
async def create_teacher(
    body: NewTeacherIn, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> NewTeacherOut:
    password = roster.one_time_password()
    teacher = await create_user(
        session,
        runtime.settings,
        email=str(body.email),
        password=password,
        display_name=body.display_name,
        date_of_birth=body.date_of_birth,
        role=Role.TEACHER,
        now=runtime.clock.now(),
        must_change_password=True,
    )
    return NewTeacherOut(user_id=teacher.id, email=teacher.email, one_time_password=password)


@router.get(
    "/classes", summary="Your classes (a teacher's own, a learner's joined, all for admins)"
)
async def list_classes(user: CurrentUser, session: SessionDep) -> list[ClassOut]:
    return await service.list_classes(session, user)


@router.post("/classes", status_code=status.HTTP_201_CREATED, summary="Create a class (teacher)")
async def create_class(
    body: ClassIn, teacher: TeacherUser, session: SessionDep, runtime: RuntimeDep
) -> ClassOut:
    now = runtime.clock.now()
    scenario = await service.pick_scenario(session, teacher, body)
    created = None
    if scenario is None:
        assert body.scenario is not None
        spec = NewScenario(**body.scenario.model_dump())
        market = await scenarios_service.new_market(
            runtime, spec, market_data(runtime).instruments, owner_id=teacher.id
        )
        scenario = created = await scenarios_service.create_scenario(
            session,
            runtime,
            market,
            max_starting_cash=runtime.settings.max_starting_cash,
            actor=Actor(teacher.email, teacher.id),
            now=now,
        )
    row = await service.create_class(session, runtime, teacher, body, scenario, now=now)
    # Committed first: the engine that runs the new market reads it from the database.
    await session.commit()
    if created is not None:
        await run_scenario(runtime, created)
    (shown,) = await service.describe(session, [row], private=True, accounts={})
    return shown


@router.get("/classes/{class_id}", summary="One class (its teacher, or an admin)")
async def get_class(class_id: str, teacher: TeacherUser, session: SessionDep) -> ClassOut:
    row = await service.class_of_teacher(session, teacher, class_id)
    (shown,) = await service.describe(session, [row], private=True, accounts={})
    return shown


@router.patch("/classes/{class_id}", summary="Rename a class or choose its leaderboard's score")
async def patch_class(
    class_id: str, body: ClassPatchIn, teacher: TeacherUser, session: SessionDep
) -> ClassOut:
    row = await service.class_of_teacher(session, teacher, class_id)
    if body.score is not None:
        row.score = body.score
    if body.name is not None:
        row.name = body.name
    await session.flush()
    (shown,) = await service.describe(session, [row], private=True, accounts={})
    return shown


@router.post(
    "/classes/{class_id}/roster",
    status_code=status.HTTP_201_CREATED,
    summary="Import students from CSV: all rows or none; one-time passwords shown once",
)
async def import_roster(
    class_id: str, body: RosterIn, teacher: TeacherUser, session: SessionDep, runtime: RuntimeDep
) -> RosterOut:
    row = await service.class_of_teacher(session, teacher, class_id)
    return await roster.import_roster(session, runtime, row, body.csv)


@router.post("/classes/join", summary="Join a class with its code (learner)")
async def join_class(
    body: JoinIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> ClassOut:
    return await service.join(session, runtime, user, body.code)


@router.get("/classes/{class_id}/students", summary="The class's students (its teacher)")
async def list_students(
    class_id: str, teacher: TeacherUser, session: SessionDep, runtime: RuntimeDep
) -> list[StudentOut]:
    return await service.students(session, runtime, teacher, class_id)


@router.get(
    "/classes/{class_id}/students/{user_id}",
    summary="One student's account, orders and lesson progress, read-only (its teacher)",
)
async def get_student(
    class_id: str, user_id: str, teacher: TeacherUser, session: SessionDep, runtime: RuntimeDep
) -> StudentDetailOut:
    return await service.student_detail(session, runtime, teacher, class_id, user_id)


async def _clock(
    runtime: RuntimeDep,
    session: SessionDep,
    teacher: TeacherUser,
    class_id: str,
    change: ClockChange,
) -> ScenarioOut:
    row = await service.class_of_teacher(session, teacher, class_id)
    scenario = await change_clock(
        session,
        row.scenario_id,
        change,
        actor=Actor(teacher.email, teacher.id),
        live=runtime.scenarios.get(row.scenario_id),
        now=runtime.clock.now(),
    )
    return describe_scenario(runtime, scenario)


@router.patch("/classes/{class_id}/clock", summary="Pause, resume or speed the class's market")
async def change_class_clock(
    class_id: str,
    body: ClockChangeIn,
    teacher: TeacherUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ScenarioOut:
    change = ClockChange(paused=body.paused, seconds_per_day=body.seconds_per_day)
    return await _clock(runtime, session, teacher, class_id, change)


@router.post("/classes/{class_id}/clock/skip", summary="Jump the class's market ahead")
async def skip_class_clock(
    class_id: str, body: SkipIn, teacher: TeacherUser, session: SessionDep, runtime: RuntimeDep
) -> ScenarioOut:
    return await _clock(runtime, session, teacher, class_id, ClockChange(skip_days=body.days))


ScoreQuery = Annotated[
    ScoreName | None, Query(description="Rank by this score instead of the class's own.")
]


@router.get("/classes/{class_id}/leaderboard", summary="The class's leaderboard (its teacher)")
async def get_leaderboard(
    class_id: str,
    teacher: TeacherUser,
    session: SessionDep,
    runtime: RuntimeDep,
    score: ScoreQuery = None,
) -> LeaderboardOut:
    row = await service.class_of_teacher(session, teacher, class_id)
    return await board.leaderboard(session, runtime, row, None if score is None else Score(score))


@router.get(
    "/classes/{class_id}/standings",
    summary="The class's leaderboard as its students see it (its students, its teacher)",
    description="Ranked by the score the teacher chose. Each classmate shows with their display "
    "name and figures only: never an email, a date of birth or an account. Live: subscribe to "
    "`leaderboard:<class id>` on the WebSocket.",
)
async def get_standings(
    class_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> LeaderboardOut:
    row = await service.class_of_member(session, user, class_id)
    return await board.leaderboard(session, runtime, row)


@router.get(
    "/classes/{class_id}/leaderboard.csv",
    summary="The class's leaderboard as CSV (its teacher)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_leaderboard(
    class_id: str,
    teacher: TeacherUser,
    session: SessionDep,
    runtime: RuntimeDep,
    score: ScoreQuery = None,
) -> Response:
    row = await service.class_of_teacher(session, teacher, class_id)
    shown = await board.leaderboard(session, runtime, row, None if score is None else Score(score))
    filename = f"leaderboard-{row.join_code}-{shown.score}.csv"
    return Response(
        board.leaderboard_csv(shown),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
