"""Scenarios: the markets people trade in, and their clocks (pause, resume, speed, skip)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from keel.market.bars import SESSION_TZ
from keel.server.auth.deps import AdminUser, CurrentUser
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.market.component import market_data
from keel.server.runtime import Runtime
from keel.server.scenarios import service
from keel.server.scenarios.control import Actor, ClockChange, change_clock
from keel.server.scenarios.launcher import run_scenario
from keel.server.scenarios.models import ScenarioRow
from keel.server.scenarios.schemas import (
    ClockChangeIn,
    ClockOut,
    ScenarioEventOut,
    ScenarioIn,
    ScenarioOut,
    SkipIn,
)
from keel.server.scenarios.service import NewScenario

router = APIRouter(tags=["scenarios"])


def describe(runtime: Runtime, row: ScenarioRow) -> ScenarioOut:
    """The scenario with its clock: the live one where this process runs it, the engine's
    latest where it mirrors it (its controls as stored), else the stored."""
    live = runtime.scenarios.get(row.id)
    if live is not None:
        runs = not live.mirrored
        clock = ClockOut(
            market_time=live.feed.market_time,
            market_date=live.feed.market_date,
            position=round(live.feed.position, 6),
            paused=live.feed.paused if runs else row.paused,
            seconds_per_day=live.feed.seconds_per_day if runs else row.seconds_per_day,
            finished=live.feed.finished,
            running_here=runs,
        )
    else:
        clock = ClockOut(
            market_time=row.market_time,
            market_date=(
                None if row.market_time is None else row.market_time.astimezone(SESSION_TZ).date()
            ),
            position=row.position,
            paused=row.paused,
            seconds_per_day=row.seconds_per_day,
            finished=False,
            running_here=False,
        )
    return ScenarioOut(
        id=row.id,
        name=row.name,
        description=row.description,
        source=row.source,
        seed=row.seed,
        start_date=row.start_date,
        universe=row.universe,
        starting_cash=row.starting_cash,
        allow_short=row.allow_short,
        breaker_mode=row.breaker_mode,
        max_position_fraction=row.max_position_fraction,
        status=row.status,
        clock=clock,
    )


@router.get("/scenarios", summary="Every scenario (market) and its clock")
async def list_scenarios(
    user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[ScenarioOut]:
    return [describe(runtime, row) for row in await service.list_scenarios(session)]


@router.post("/scenarios", status_code=status.HTTP_201_CREATED, summary="Create a market (admin)")
async def create_scenario(
    body: ScenarioIn, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> ScenarioOut:
    spec = NewScenario(**body.model_dump())
    bundled = market_data(runtime).instruments
    market = await service.new_market(runtime, spec, bundled, owner_id=admin.id)
    row = await service.create_scenario(
        session,
        runtime,
        market,
        max_starting_cash=runtime.settings.max_starting_cash,
        actor=Actor(admin.email, admin.id),
        now=runtime.clock.now(),
    )
    # Committed first: the engine that runs it (this process or another) reads it from there.
    await session.commit()
    await run_scenario(runtime, row)
    return describe(runtime, row)


@router.get("/scenarios/{scenario_id}", summary="One scenario and its clock")
async def get_scenario(
    scenario_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> ScenarioOut:
    return describe(runtime, await service.get_scenario(session, scenario_id))


async def _change(
    runtime: Runtime, session: SessionDep, admin: AdminUser, scenario_id: str, change: ClockChange
) -> ScenarioOut:
    row = await change_clock(
        session,
        scenario_id,
        change,
        actor=Actor(admin.email, admin.id),
        live=runtime.scenarios.get(scenario_id),
        now=runtime.clock.now(),
    )
    return describe(runtime, row)


@router.patch("/scenarios/{scenario_id}/clock", summary="Pause, resume or change the speed (admin)")
async def change_scenario_clock(
    scenario_id: str,
    body: ClockChangeIn,
    admin: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ScenarioOut:
    change = ClockChange(paused=body.paused, seconds_per_day=body.seconds_per_day)
    return await _change(runtime, session, admin, scenario_id, change)


@router.post("/scenarios/{scenario_id}/clock/skip", summary="Jump market time ahead (admin)")
async def skip_scenario_clock(
    scenario_id: str, body: SkipIn, admin: AdminUser, session: SessionDep, runtime: RuntimeDep
) -> ScenarioOut:
    return await _change(runtime, session, admin, scenario_id, ClockChange(skip_days=body.days))


@router.get("/scenarios/{scenario_id}/events", summary="Who changed the clock, when (admin)")
async def scenario_events(
    scenario_id: str,
    admin: AdminUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ScenarioEventOut]:
    rows = await service.audit_trail(session, scenario_id, limit=limit)
    return [ScenarioEventOut.model_validate(row) for row in rows]
