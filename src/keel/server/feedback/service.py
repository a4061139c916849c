"""Use cases of feedback: receive it from any page, list it for triage, triage it (admins: all
of it; teachers: what their classes' students sent while in the class, and their own — the
`scope` of `keel.server.classes.service.feedback_scope`).

Feedback carries who sent it, the page, the time on both timelines (wall `recorded_at`, the
scenario's market time) and the value of every flag for the sender at that moment (flags
change what a page shows, so triage needs to know which variant the sender saw).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.audit import repository as audit
from keel.server.auth.models import User
from keel.server.errors import ProblemError, not_found
from keel.server.feedback import repository
from keel.server.feedback.models import FeedbackRow
from keel.server.feedback.schemas import (
    MAX_APP_STATE_BYTES,
    FeedbackDetailOut,
    FeedbackIn,
    FeedbackListOut,
    FeedbackOut,
    FeedbackPatchIn,
    FeedbackReceiptOut,
)
from keel.server.flags.book import Evaluated

FEEDBACK_TRIAGED = "feedback-triaged"
REMOVED = "[removed]"
SECRET_WORDS = ("token", "password", "secret", "authorization", "otp")
"""A value under a key containing one of these words is never stored."""


def sanitized(value: Any) -> Any:
    """`value` with every value under a key that names a secret replaced by `[removed]`."""
    if isinstance(value, dict):
        return {
            key: REMOVED
            if any(word in str(key).lower() for word in SECRET_WORDS)
            else sanitized(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [sanitized(item) for item in value]
    return value


def _checked_state(app_state: dict[str, Any] | None) -> dict[str, Any] | None:
    if app_state is None:
        return None
    size = len(json.dumps(app_state, separators=(",", ":")).encode("utf-8"))
    if size > MAX_APP_STATE_BYTES:
        raise ProblemError(
            413,
            "feedback-state-too-large",
            "The app state attached to your feedback is too big. Send the feedback without it.",
            figures={"bytes": size, "limit": MAX_APP_STATE_BYTES},
        )
    cleaned: dict[str, Any] = sanitized(app_state)
    return cleaned


def submit(
    session: AsyncSession,
    user: User,
    body: FeedbackIn,
    *,
    flags: dict[str, Evaluated],
    market_time: datetime | None,
    now: datetime,
) -> FeedbackReceiptOut:
    """Store one piece of feedback with the flags in force for its sender."""
    row = FeedbackRow(
        id=str(uuid.uuid4()),
        user_id=user.id,
        text=body.text,
        page=body.page,
        app_state=_checked_state(body.app_state),
        flags={key: each.value for key, each in flags.items()},
        cohort=user.cohort,
        scenario_id=body.scenario_id,
        market_time=market_time,
        recorded_at=now,
        status="new",
        note="",
        updated_at=now,
    )
    session.add(row)
    return FeedbackReceiptOut(
        id=row.id, recorded_at=now, market_time=market_time, flags=dict(row.flags)
    )


def _out(row: FeedbackRow, sender: User, emails: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "user_id": sender.id,
        "user_email": sender.email,
        "user_name": sender.display_name,
        "text": row.text,
        "page": row.page,
        "cohort": row.cohort,
        "flags": row.flags,
        "has_app_state": row.app_state is not None,
        "scenario_id": row.scenario_id,
        "market_time": row.market_time,
        "recorded_at": row.recorded_at,
        "status": row.status,
        "note": row.note,
        "triaged_by": emails.get(row.triaged_by or ""),
        "updated_at": row.updated_at,
    }


async def listing(
    session: AsyncSession,
    *,
    status: str | None,
    page: str | None,
    limit: int,
    offset: int,
    scope: ColumnElement[bool] | None = None,
) -> FeedbackListOut:
    """Feedback to triage, newest first: all of it (`scope` None, an admin's list) or what
    `scope` lets its reader see (a teacher's classes); `counts` are over the whole scope."""
    total, found = await repository.listing(
        session, status=status, page=page, limit=limit, offset=offset, scope=scope
    )
    emails = await repository.emails(
        session, {row.triaged_by for row, _ in found if row.triaged_by}
    )
    return FeedbackListOut(
        total=total,
        counts=await repository.status_counts(session, scope),
        items=[FeedbackOut(**_out(row, sender, emails)) for row, sender in found],
    )


async def detail(
    session: AsyncSession, feedback_id: str, scope: ColumnElement[bool] | None = None
) -> FeedbackDetailOut:
    """One feedback with its app state; 404 when it does not exist or is outside `scope`."""
    found = await repository.one(session, feedback_id, scope)
    if found is None:
        raise not_found("feedback")
    row, sender = found
    emails = await repository.emails(session, {row.triaged_by} if row.triaged_by else set())
    return FeedbackDetailOut(**_out(row, sender, emails), app_state=row.app_state)


async def triage(
    session: AsyncSession,
    triager: User,
    feedback_id: str,
    patch: FeedbackPatchIn,
    *,
    now: datetime,
    scope: ColumnElement[bool] | None = None,
) -> FeedbackDetailOut:
    """Set a feedback's status and note (audited under the triager, an admin or a teacher);
    404 when it does not exist or is outside `scope`."""
    found = await repository.one(session, feedback_id, scope)
    if found is None:
        raise not_found("feedback")
    row, _ = found
    before = {"status": row.status, "note": row.note}
    if patch.status is not None:
        row.status = patch.status
    if patch.note is not None:
        row.note = patch.note
    row.triaged_by, row.updated_at = triager.id, now
    audit.record(
        session,
        action=FEEDBACK_TRIAGED,
        subject=row.id,
        actor_id=triager.id,
        actor=triager.email,
        detail={"before": before, "after": {"status": row.status, "note": row.note}},
        now=now,
    )
    await session.flush()
    return await detail(session, feedback_id, scope)
