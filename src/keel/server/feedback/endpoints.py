"""`/feedback` (anyone signed in), `/admin/feedback` (triage of all of it) and `/teacher/feedback`
(a teacher's triage of what their classes' students sent): thin adapters over `service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from keel.server.auth.deps import AdminUser, TeacherUser
from keel.server.auth.models import User
from keel.server.classes import service as classes_service
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.feedback import service
from keel.server.feedback.schemas import (
    FeedbackDetailOut,
    FeedbackIn,
    FeedbackListOut,
    FeedbackPatchIn,
    FeedbackReceiptOut,
    Status,
)
from keel.server.flags.book import get_flags
from keel.server.flags.definitions import FEEDBACK_BUTTON
from keel.server.flags.deps import requires_flag
from keel.server.flags.service import flags_for

router = APIRouter(tags=["feedback"])

FeedbackId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-f-]+$")]
PageQuery = Annotated[str | None, Query(max_length=300, description="paths starting with this")]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
ClassIdQuery = Annotated[
    str | None,
    Query(max_length=36, description="only what the students of this class of yours sent"),
]


FeedbackSender = Annotated[User, Depends(requires_flag(FEEDBACK_BUTTON))]
"""Who may send feedback: anyone signed in while the `feedback-button` flag is on for them. The
flag exists to stop new feedback (an admin turns it off, for everyone or a cohort), so the API
refuses it too rather than only hiding the button: a page left open from before the change, or a
script, would otherwise keep sending. Admins (and teachers, their classes') still list and triage
what was sent before: those routes are not behind the flag."""


@router.post(
    "/feedback",
    status_code=status.HTTP_201_CREATED,
    summary="Send feedback from a page of the app (while the feedback-button flag is on for you)",
)
async def send_feedback(
    body: FeedbackIn, user: FeedbackSender, session: SessionDep, runtime: RuntimeDep
) -> FeedbackReceiptOut:
    now = runtime.clock.now()
    live = runtime.scenarios.get(body.scenario_id)
    flags = flags_for(get_flags(runtime), user, today_is_minor=user.is_minor_on(now.date()))
    return service.submit(
        session,
        user,
        body,
        flags=flags,
        market_time=live.clock.now() if live is not None else None,
        now=now,
    )


@router.get("/admin/feedback", summary="Feedback to triage, newest first (admin)")
async def list_feedback(
    admin: AdminUser,
    session: SessionDep,
    status: Status | None = None,
    page: PageQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FeedbackListOut:
    return await service.listing(session, status=status, page=page, limit=limit, offset=offset)


@router.get("/admin/feedback/{feedback_id}", summary="One feedback with its app state (admin)")
async def get_feedback(
    feedback_id: FeedbackId, admin: AdminUser, session: SessionDep
) -> FeedbackDetailOut:
    return await service.detail(session, feedback_id)


@router.patch("/admin/feedback/{feedback_id}", summary="Triage feedback: status and note (admin)")
async def triage_feedback(
    feedback_id: FeedbackId,
    body: FeedbackPatchIn,
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> FeedbackDetailOut:
    return await service.triage(session, admin, feedback_id, body, now=runtime.clock.now())


@router.get(
    "/teacher/feedback",
    summary="Feedback your classes' students sent, and yours, to triage, newest first (teacher)",
)
async def list_class_feedback(
    teacher: TeacherUser,
    session: SessionDep,
    class_id: ClassIdQuery = None,
    status: Status | None = None,
    page: PageQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FeedbackListOut:
    scope = await classes_service.feedback_scope(session, teacher, class_id)
    return await service.listing(
        session, status=status, page=page, limit=limit, offset=offset, scope=scope
    )


@router.get(
    "/teacher/feedback/{feedback_id}",
    summary="One feedback from your classes with its app state (teacher)",
)
async def get_class_feedback(
    feedback_id: FeedbackId, teacher: TeacherUser, session: SessionDep
) -> FeedbackDetailOut:
    scope = await classes_service.feedback_scope(session, teacher, None)
    return await service.detail(session, feedback_id, scope)


@router.patch(
    "/teacher/feedback/{feedback_id}",
    summary="Triage feedback from your classes: status and note (teacher)",
)
async def triage_class_feedback(
    feedback_id: FeedbackId,
    body: FeedbackPatchIn,
    teacher: TeacherUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> FeedbackDetailOut:
    scope = await classes_service.feedback_scope(session, teacher, None)
    return await service.triage(
        session, teacher, feedback_id, body, now=runtime.clock.now(), scope=scope
    )
