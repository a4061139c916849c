"""Trained direction models and their scorecards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from keel.server.deps import RuntimeDep
from keel.server.flags.definitions import MODEL_SIGNALS
from keel.server.flags.deps import requires_flag
from keel.server.market.component import ScenarioQuery, scenario_of
from keel.server.model_registry import service
from keel.server.model_registry.schemas import ModelOut, SignalOut
from keel.server.model_registry.signals import latest_signals
from keel.server.objectstore import get_object_store
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

router = APIRouter(tags=["models"])


@router.get("/models", summary="Stored models with their out-of-sample scorecards")
async def list_models(
    runtime: RuntimeDep,
    symbol: Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z0-9.]+$")] = None,
) -> list[ModelOut]:
    return await service.list_models(get_object_store(runtime), symbol)


@router.get(
    "/signals",
    summary="The hybrid's latest signal per symbol of a scenario, with its explanation "
    "(for users the model-signals flag is on for: the beta cohort)",
    # The Signals page is a beta feature behind `model-signals`: the API refuses everyone the
    # flag is off for, not only the web app's navigation (`feature-not-enabled`).
    dependencies=[Depends(requires_flag(MODEL_SIGNALS))],
)
async def list_signals(
    runtime: RuntimeDep, scenario: ScenarioQuery = DEFAULT_SCENARIO_ID
) -> list[SignalOut]:
    return await latest_signals(get_object_store(runtime), scenario_of(runtime, scenario))
