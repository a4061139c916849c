"""`/me/flags` and `/admin/flags`, `/admin/cohorts`: thin HTTP adapters over `service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from keel.server.auth.deps import AdminUser, CurrentUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.flags import service
from keel.server.flags.book import get_flags
from keel.server.flags.schemas import (
    AdminEventOut,
    CohortIn,
    CohortOut,
    FlagOut,
    FlagPatchIn,
    FlagsOut,
    MyFlagsOut,
)
from keel.server.pubsub import get_pubsub

router = APIRouter(tags=["flags"])

FlagKey = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]


@router.get("/me/flags", summary="The feature flags in force for the caller")
async def my_flags(user: CurrentUser, runtime: RuntimeDep) -> MyFlagsOut:
    minor = user.is_minor_on(runtime.clock.now().date())
    evaluated = service.flags_for(get_flags(runtime), user, today_is_minor=minor)
    return MyFlagsOut(cohort=user.cohort, flags=service.evaluated_out(evaluated))


@router.get("/admin/flags", summary="Every feature flag as it is in force (admin)")
async def list_flags(admin: AdminUser, session: SessionDep, runtime: RuntimeDep) -> FlagsOut:
    return await service.list_flags(session, get_flags(runtime))


@router.patch(
    "/admin/flags/{key}", summary="Change a flag: state, default variant, cohorts (admin)"
)
async def change_flag(
    key: FlagKey, body: FlagPatchIn, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> FlagOut:
    return await service.change_flag(
        session, get_flags(runtime), get_pubsub(runtime), admin, key, body, now=runtime.clock.now()
    )


@router.get("/admin/flags/changes", summary="Who changed which flag, newest first (admin)")
async def flag_changes(
    admin: AdminUser,
    session: SessionDep,
    key: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[AdminEventOut]:
    return await service.history(session, key, limit)


@router.put(
    "/admin/cohorts",
    summary="Move a user into a cohort, by email (admin)",
    # Also the user directory's way to change a cohort (`/admin/users` shows it): tagged `admin`
    # too, so the web app's client refreshes the directory after a move.
    tags=["admin"],
)
async def set_cohort(
    body: CohortIn, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> CohortOut:
    return await service.set_cohort(
        session, admin, body.email, body.cohort.value, now=runtime.clock.now()
    )
