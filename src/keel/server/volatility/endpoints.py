"""Volatility of every live symbol, its regime history, and the optimizer's current parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from keel.server.breakers.component import RiskRuntime
from keel.server.breakers.startup import risk_of
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.market.component import ScenarioQuery, scenario_of
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility import service
from keel.server.volatility.schemas import RegimeChangeOut, RiskParametersOut, VolatilityOut

router = APIRouter(tags=["volatility"])


def _risk(runtime: RuntimeDep, scenario: ScenarioQuery = DEFAULT_SCENARIO_ID) -> RiskRuntime:
    return risk_of(scenario_of(runtime, scenario))


RiskDep = Annotated[RiskRuntime, Depends(_risk)]


@router.get("/volatility", summary="Every live symbol: regime, confidence, estimators")
async def list_volatility(risk: RiskDep) -> list[VolatilityOut]:
    return service.all_volatility(risk)


@router.get("/volatility/{symbol}", summary="One symbol's regime and the figures behind it")
async def get_volatility(symbol: str, risk: RiskDep) -> VolatilityOut:
    return service.one_volatility(risk, symbol)


@router.get("/volatility/{symbol}/history", summary="Stored regime changes, newest first")
async def regime_history(
    symbol: str,
    session: SessionDep,
    risk: RiskDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[RegimeChangeOut]:
    rows = await service.regime_history(session, risk, symbol, limit)
    return [RegimeChangeOut.model_validate(row) for row in rows]


@router.get(
    "/risk/parameters",
    summary="The optimizer's per-regime parameters in force now, and the symbol's current one",
)
async def risk_parameters(
    risk: RiskDep, symbol: Annotated[str, Query(max_length=16)] = "SPX"
) -> RiskParametersOut:
    return service.risk_parameters(risk, symbol)
