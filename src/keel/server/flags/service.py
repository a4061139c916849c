"""Use cases of flags: evaluate them for a user, show and change them, move users between cohorts.

Services never commit; a change is published on the `flags` channel once the request commits.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.audit import repository as audit
from keel.server.auth.models import User
from keel.server.errors import ProblemError
from keel.server.flags import repository
from keel.server.flags.book import FLAGS_CHANNEL, Evaluated, FlagBook, evaluation_context
from keel.server.flags.definitions import COHORTS, FlagChange, FlagDefinition, apply_changes
from keel.server.flags.models import FlagChangeRow
from keel.server.flags.schemas import (
    AdminEventOut,
    CohortOut,
    EvaluatedFlagOut,
    FlagOut,
    FlagPatchIn,
    FlagsOut,
)
from keel.server.pubsub import PubSub, publish_after_commit

FLAG_CHANGED = "flag-changed"
COHORT_CHANGED = "cohort-changed"


def flags_for(book: FlagBook, user: User, *, today_is_minor: bool) -> dict[str, Evaluated]:
    """Every flag, evaluated for `user` (their cohort, role and minority) by the provider."""
    return book.evaluate(evaluation_context(user, is_minor=today_is_minor))


def flag_for(book: FlagBook, user: User, key: str, *, today_is_minor: bool) -> Evaluated:
    """One flag, evaluated for `user` with the same context as `flags_for` (and `/me/flags`)."""
    return book.evaluate_one(key, evaluation_context(user, is_minor=today_is_minor))


def evaluated_out(evaluated: dict[str, Evaluated]) -> dict[str, EvaluatedFlagOut]:
    return {
        key: EvaluatedFlagOut(value=each.value, variant=each.variant, reason=each.reason)
        for key, each in evaluated.items()
    }


def _flag_out(flag: FlagDefinition, row: FlagChangeRow | None, emails: dict[str, str]) -> FlagOut:
    return FlagOut(
        key=flag.key,
        description=flag.description,
        state="ENABLED" if flag.state == "ENABLED" else "DISABLED",
        variants=flag.variants,
        default_variant=flag.default_variant,
        cohorts=flag.cohorts,
        targeting=flag.targeting(),
        changed=row is not None,
        updated_at=row.updated_at if row else None,
        updated_by=emails.get(row.updated_by or "") if row else None,
    )


async def list_flags(session: AsyncSession, book: FlagBook) -> FlagsOut:
    """The flags in force, as stored now (not as this process last loaded them)."""
    rows = {row.key: row for row in (await session.scalars(select(FlagChangeRow))).all()}
    changes = {
        key: FlagChange(row.state, row.default_variant, row.cohorts) for key, row in rows.items()
    }
    in_force = book.shipped if book.managed_elsewhere else apply_changes(book.shipped, changes)
    ids = {row.updated_by for row in rows.values() if row.updated_by}
    emails = {
        user.id: user.email
        for user in (await session.scalars(select(User).where(User.id.in_(ids)))).all()
    }
    return FlagsOut(
        source=f"flagd at {book.address}" if book.address else "flags file",
        read_only=book.managed_elsewhere,
        cohorts=list(COHORTS),
        flags=[
            _flag_out(flag, None if book.managed_elsewhere else rows.get(key), emails)
            for key, flag in sorted(in_force.flags.items())
        ],
    )


async def change_flag(
    session: AsyncSession,
    book: FlagBook,
    pubsub: PubSub,
    admin: User,
    key: str,
    patch: FlagPatchIn,
    *,
    now: datetime,
) -> FlagOut:
    """Store an admin's change of flag `key` with its audit row; every process applies it once
    the request commits."""
    if book.managed_elsewhere:
        raise ProblemError(
            409,
            "flags-managed-elsewhere",
            "These flags live on a flag server, so they cannot be changed here. Change them "
            "on the flag server.",
        )
    flag = book.shipped.flags.get(key)
    if flag is None:
        raise ProblemError(404, "unknown-flag", "There is no flag with this name.", flag=key)
    named = [patch.default_variant] if patch.default_variant is not None else []
    named += list((patch.cohorts or {}).values())
    unknown = sorted({variant for variant in named if variant not in flag.variants})
    if unknown:
        raise ProblemError(
            422,
            "unknown-variant",
            "This flag has no variant with that name. Pick one of the flag's variants.",
            figures={"asked": ", ".join(unknown), "variants": ", ".join(sorted(flag.variants))},
        )
    row = await repository.change_row(session, key)
    before = (
        FlagChange() if row is None else FlagChange(row.state, row.default_variant, row.cohorts)
    )
    sent = patch.model_fields_set
    after = FlagChange(
        state=patch.state if "state" in sent else before.state,
        default_variant=patch.default_variant
        if "default_variant" in sent
        else before.default_variant,
        cohorts=(
            {str(cohort): variant for cohort, variant in patch.cohorts.items()}
            if "cohorts" in sent and patch.cohorts is not None
            else None
            if "cohorts" in sent
            else before.cohorts
        ),
    )
    if row is None:
        row = FlagChangeRow(key=key, version=0, updated_at=now)
        session.add(row)
    row.state, row.default_variant, row.cohorts = after.state, after.default_variant, after.cohorts
    row.version += 1
    row.updated_by, row.updated_at = admin.id, now
    audit.record(
        session,
        action=FLAG_CHANGED,
        subject=key,
        actor_id=admin.id,
        actor=admin.email,
        detail={"before": asdict(before), "after": asdict(after)},
        now=now,
    )
    await session.flush()
    publish_after_commit(session, pubsub, FLAGS_CHANNEL, {"key": key, "version": row.version})
    in_force = apply_changes(book.shipped, {key: after}).flags[key]
    return _flag_out(in_force, row, {admin.id: admin.email})


async def set_cohort(
    session: AsyncSession, admin: User, email: str, cohort: str, *, now: datetime
) -> CohortOut:
    """Move the user with `email` into `cohort` (audited); their next flags follow it."""
    user = await repository.user_by_email(session, email)
    if user is None:
        raise ProblemError(404, "not-found", "There is no user with this email address.")
    audit.record(
        session,
        action=COHORT_CHANGED,
        subject=user.id,
        actor_id=admin.id,
        actor=admin.email,
        detail={"email": user.email, "before": user.cohort, "after": cohort},
        now=now,
    )
    user.cohort = cohort
    return CohortOut(user_id=user.id, email=user.email, cohort=cohort)


async def history(session: AsyncSession, key: str | None, limit: int) -> list[AdminEventOut]:
    rows = await audit.events(session, action=FLAG_CHANGED, subject=key, limit=limit)
    return [
        AdminEventOut(
            action=row.action,
            subject=row.subject,
            actor=row.actor,
            detail=row.detail,
            recorded_at=row.recorded_at,
        )
        for row in rows
    ]
