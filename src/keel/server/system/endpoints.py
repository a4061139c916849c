"""Liveness, readiness (database reachable, market prices not stale) and the Prometheus scrape
endpoint.

`/metrics` is not public: with `KEEL_METRICS_TOKEN` set it wants `Authorization: Bearer <token>`,
without one it answers loopback clients only (`make run` on a laptop); anyone else gets 404.
"""

from __future__ import annotations

import hmac
import time

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr
from sqlalchemy import text

from keel import __version__
from keel.server.deps import RuntimeDep
from keel.server.errors import ProblemError, not_found
from keel.server.metrics import BACKTEST_JOBS, ENGINE_LEADER, ENGINE_STATE_AGE, REGISTRY
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

router = APIRouter(tags=["system"])
log = structlog.get_logger(__name__)
LOOPBACK = {"127.0.0.1", "::1"}


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
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    if not metrics_allowed(request, runtime.settings.metrics_token):
        raise not_found("page")
    refresh_runtime_gauges(runtime)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def metrics_allowed(request: Request, token: SecretStr | None) -> bool:
    if token is None:
        return request.client is not None and request.client.host in LOOPBACK
    offered = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    return hmac.compare_digest(offered.encode(), expected.encode())


def refresh_runtime_gauges(runtime: Runtime) -> None:
    """Gauges read off the runtime when Prometheus scrapes, not kept up to date on every step.

    The leader is the process that runs the default scenario's market (an `all` process, or the
    engine that holds its lock); a process that mirrors it reports 0, and its mirror's lag."""
    default = runtime.scenarios.get(DEFAULT_SCENARIO_ID)
    leads = default is not None and not default.mirrored and runtime.settings.role != "api"
    ENGINE_LEADER.set(1 if leads else 0)
    applied = [
        live.mirror.applied_at
        for live in runtime.scenarios.values()
        if live.mirror is not None and live.mirror.applied_at is not None
    ]
    if applied:
        ENGINE_STATE_AGE.set(time.monotonic() - min(applied))
    if runtime.backtests is not None:
        BACKTEST_JOBS.set(runtime.backtests.active)
