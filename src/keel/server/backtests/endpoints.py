"""Backtests as jobs: submit, follow, read results, cancel; strategies and datasets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from keel.server.auth.deps import CurrentUser
from keel.server.backtests import service
from keel.server.backtests.schemas import (
    BacktestEquityPointOut,
    BacktestIn,
    DatasetOut,
    JobDetailOut,
    JobOut,
    JobStatus,
    StrategyOut,
    TradeOut,
)
from keel.server.deps import RuntimeDep, SessionDep
from keel.server.ratelimit import check_uploads

router = APIRouter(prefix="/backtests", tags=["backtests"])

REPORT_HEADERS = {
    # The report is self-contained (inline SVG, styles and a little script): allow nothing else,
    # and sandbox it so its script runs in an opaque origin, never with the API's.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; sandbox allow-scripts"
    ),
    "X-Content-Type-Options": "nosniff",
}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get("/strategies", summary="Built-in strategies with their parameters and defaults")
async def list_strategies() -> list[StrategyOut]:
    return service.strategies()


@router.get("/datasets", summary="Your uploaded OHLCV files")
async def list_datasets(user: CurrentUser, runtime: RuntimeDep) -> list[DatasetOut]:
    return await service.datasets(runtime, user)


@router.put(
    "/datasets/{name}",
    status_code=status.HTTP_201_CREATED,
    summary="Upload an OHLCV file (CSV or Parquet: Date, Open, High, Low, Close[, Volume])",
    openapi_extra=UPLOAD_BODY,
)
async def upload_dataset(
    name: Annotated[str, Path(max_length=120)],
    request: Request,
    user: CurrentUser,
    runtime: RuntimeDep,
) -> DatasetOut:
    await check_uploads(runtime, user.id)
    return await service.upload_dataset(runtime, user, name, await request.body())


@router.delete(
    "/datasets/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete one of your uploaded files (frees its space)",
)
async def delete_dataset(
    name: Annotated[str, Path(max_length=120)], user: CurrentUser, runtime: RuntimeDep
) -> None:
    await service.delete_dataset(runtime, user, name)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Submit a backtest; it runs as a job (follow it here or on the WebSocket)",
)
async def submit_backtest(
    body: BacktestIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> JobDetailOut:
    return service.describe_detail(await service.submit(session, runtime, user, body))


@router.get("", summary="Your backtests, newest first")
async def list_backtests(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    status: JobStatus | None = None,
) -> list[JobOut]:
    rows = await service.list_runs(session, user, limit=limit, offset=offset, status=status)
    return [service.describe(row) for row in rows]


@router.get("/{run_id}", summary="One backtest: status, progress and statistics")
async def get_backtest(run_id: str, user: CurrentUser, session: SessionDep) -> JobDetailOut:
    return service.describe_detail(await service.get_run(session, user, run_id))


@router.get("/{run_id}/trades", summary="The closed trades of a finished backtest")
async def get_trades(
    run_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[TradeOut]:
    return await service.trades(session, runtime, user, run_id)


@router.get("/{run_id}/equity", summary="The equity curve and drawdown of a finished backtest")
async def get_backtest_equity(
    run_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> list[BacktestEquityPointOut]:
    return await service.equity(session, runtime, user, run_id)


@router.get(
    "/{run_id}/report",
    response_class=HTMLResponse,
    summary="The self-contained HTML report of a finished backtest",
)
async def get_report(
    run_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> HTMLResponse:
    return HTMLResponse(
        await service.report(session, runtime, user, run_id), headers=REPORT_HEADERS
    )


@router.get(
    "/{run_id}/report/download",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}}, "description": "The report, as an attachment"},
        307: {"description": "A presigned URL of the object store (S3) serving the report"},
    },
    summary="Download the HTML report: redirects to a short-lived presigned URL on S3",
)
async def download_report(
    run_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> Response:
    found = await service.report_download(session, runtime, user, run_id)
    if isinstance(found, str):
        return RedirectResponse(found, status_code=307, headers={"Cache-Control": "no-store"})
    return Response(
        found,
        media_type="text/html; charset=utf-8",
        headers={
            **REPORT_HEADERS,
            "Content-Disposition": f'attachment; filename="backtest-{run_id}.html"',
        },
    )


@router.delete("/{run_id}", summary="Cancel a queued or running backtest")
async def cancel_backtest(
    run_id: str, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> JobDetailOut:
    return service.describe_detail(await service.cancel(session, runtime, user, run_id))
