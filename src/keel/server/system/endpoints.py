"""Liveness, readiness (database reachable) and the Prometheus scrape endpoint."""

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


@router.get("/readyz", summary="Readiness: the database answers")
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
    return {"status": "ready", "database": runtime.database.dialect.name}


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
