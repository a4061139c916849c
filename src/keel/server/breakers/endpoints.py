"""Circuit breakers: current levels, transition history, and an admin's halt and resume."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from keel.domain.enums import Permission
from keel.server.auth.deps import AdminUser, CurrentUser
from keel.server.breakers import service
from keel.server.breakers.component import RiskRuntime
from keel.server.breakers.schemas import (
    BreakersOut,
    BreakerTransitionOut,
    ForceIn,
    IsoDateTime,
)
from keel.server.breakers.startup import risk_of
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.market.component import ScenarioQuery, scenario_of
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

router = APIRouter(tags=["breakers"])


def _risk(runtime: RuntimeDep, scenario: ScenarioQuery = DEFAULT_SCENARIO_ID) -> RiskRuntime:
    return risk_of(scenario_of(runtime, scenario))


RiskDep = Annotated[RiskRuntime, Depends(_risk)]


@router.get("/breakers", summary="Every breaker's level now: market, symbols, your accounts")
async def list_breakers(user: CurrentUser, session: SessionDep, risk: RiskDep) -> BreakersOut:
    return await service.current(session, risk, user)


@router.get("/breakers/history", summary="Stored breaker transitions, newest first")
async def breaker_history(
    user: CurrentUser,
    session: SessionDep,
    risk: RiskDep,
    scope: Annotated[str | None, Query(max_length=16)] = None,
    key: Annotated[str | None, Query(max_length=64)] = None,
    since: IsoDateTime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[BreakerTransitionOut]:
    rows = await service.history(
        session, risk, user, scope=scope, key=key, since=since, limit=limit
    )
    return [BreakerTransitionOut.model_validate(row) for row in rows]


@router.post("/admin/breakers/halt", summary="Halt the market or one symbol (admin)")
async def halt(
    body: ForceIn, admin: AdminUser, session: SessionDep, risk: RiskDep
) -> BreakerTransitionOut:
    return await service.force(session, risk, admin, body, Permission.CLOSED)


@router.post("/admin/breakers/resume", summary="Resume the market or one symbol (admin)")
async def resume(
    body: ForceIn, admin: AdminUser, session: SessionDep, risk: RiskDep
) -> BreakerTransitionOut:
    return await service.force(session, risk, admin, body, Permission.OPEN)
