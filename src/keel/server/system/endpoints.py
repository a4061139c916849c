"""Liveness, readiness (database reachable, market prices not stale) and the Prometheus scrape
endpoint."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from keel import __version__
from keel.server.deps import RuntimeDep
from keel.server.errors import ProblemError
from keel.server.metrics import REGISTRY

router = APIRouter(tags=["system"])
log = structlog.get_logger(__name__)


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", summary="Readiness: the database answers and market prices are fresh")
async def readyz(runtime: RuntimeDep) -> dict[str, str]:
    try:
        async with runtime.database.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("readiness: database unreachable", error=str(exc))
        raise ProblemError(
            503,
            "not-ready",
            "Keel cannot reach its database right now, so it is not ready to answer. "
            "Try again soon.",
            headers={"Retry-After": "5"},
        ) from exc
    stale = {
        scenario_id: seconds
        for scenario_id, live in runtime.scenarios.items()
        if (seconds := live.feed.stale_for())
    }
    if stale:
        log.warning("readiness: market prices are stale", scenarios=sorted(stale))
        raise ProblemError(
            503,
            "not-ready",
            "New market prices have stopped arriving, so Keel is not ready to take orders. "
            "Try again soon.",
            headers={"Retry-After": "5"},
            figures={"seconds_without_prices": {k: round(v, 1) for k, v in stale.items()}},
        )
    return {"status": "ready", "database": runtime.database.dialect.name}


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
