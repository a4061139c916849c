"""Use cases of backtests: submit, read, list, trades, report, cancel, strategies, datasets.

Never commits: the request's session commits once. A submitted job starts only after that commit
(so the runner always finds its row), and a cancellation reaches the runner the same way.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from keel.backtest.strategies import BUILTIN
from keel.server.auth.models import User
from keel.server.backtests import repository
from keel.server.backtests.horizon import hold_to_horizon, horizon
from keel.server.backtests.jobs import dataset_key, get_jobs
from keel.server.backtests.models import BacktestRun
from keel.server.backtests.schemas import (
    ACTIVE_STATUSES,
    BacktestEquityPointOut,
    BacktestIn,
    DatasetOut,
    JobDetailOut,
    JobOut,
    JobStatus,
    ParamOut,
    StrategyOut,
    TradeOut,
)
from keel.server.backtests.validation import DATASET_NAME, invalid, validate
from keel.server.backtests.work import JobFailed, load_dataset_bytes
from keel.server.errors import ProblemError, not_found
from keel.server.objectstore import ObjectNotFound, get_object_store
from keel.server.pubsub import get_pubsub, publish_after_commit, user_channel
from keel.server.realtime.payloads import backtest_data
from keel.server.runtime import Runtime

API_BASE = "/api/v1/backtests"


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback` once `session` commits (never if it rolls back)."""
    callbacks: list[Callable[[], None]] = session.sync_session.info.setdefault(
        "keel_backtest_after_commit", []
    )
    if not callbacks:
        from sqlalchemy import event

        def run(_session: Any) -> None:
            for pending in session.sync_session.info.pop("keel_backtest_after_commit", []):
                pending()

        def drop(_session: Any) -> None:
            session.sync_session.info.pop("keel_backtest_after_commit", None)

        event.listen(session.sync_session, "after_commit", run, once=True)
        event.listen(session.sync_session, "after_rollback", drop, once=True)
    callbacks.append(callback)


def strategies() -> list[StrategyOut]:
    """Every built-in strategy with its declared parameters and their defaults."""
    return [
        StrategyOut(
            name=name,
            description=cls.description,
            params=[
                ParamOut(
                    name=param_name,
                    type="int" if spec.is_int else "float",
                    default=spec.default,
                    low=spec.low,
                    high=spec.high,
                    help=spec.help,
                )
                for param_name, spec in cls.params.items()
            ],
        )
        for name, cls in BUILTIN.items()
    ]


def _notify(session: AsyncSession, runtime: Runtime, row: BacktestRun) -> None:
    message = backtest_data(row.id, row.status, row.progress)
    channel = user_channel("notifications", row.owner_id)
    publish_after_commit(session, get_pubsub(runtime), channel, message)


async def stored_bytes(runtime: Runtime, user: User) -> int:
    """Bytes the user keeps in the object store: uploaded datasets and backtest results."""
    store = get_object_store(runtime)
    total = 0
    for prefix in (dataset_key(user.id, ""), f"backtests/{user.id}/"):
        total += sum(item.size for item in await store.list(prefix))
    return total


async def check_quota(runtime: Runtime, user: User, adding: int, *, replacing: int = 0) -> None:
    """Refuse (413 `storage-quota-exceeded`) what would take the user past their quota, and a
    new job (`adding` 0: its results come later) once the quota is full."""
    quota = int(runtime.settings.backtest_storage_quota_mb * 1024 * 1024)
    used = await stored_bytes(runtime, user)
    after = used - replacing + adding
    if after > quota or (adding == 0 and used >= quota):
        raise ProblemError(
            413,
            "storage-quota-exceeded",
            "You have used all the space for your files and test results. Delete some files, "
            "or wait: old test results are removed after a while.",
            figures={"used_bytes": used, "quota_bytes": quota, "adding_bytes": adding},
        )


async def submit(
    session: AsyncSession, runtime: Runtime, user: User, body: BacktestIn
) -> BacktestRun:
    """Validate and queue a backtest; it runs once the request commits (refused while the
    user's stored files and results fill their quota)."""
    request = await validate(body, runtime.settings)
    await check_quota(runtime, user, 0)
    if request["symbol"] is not None:
        line = await horizon(session, runtime, user.id, request["symbol"], body.scenario)
        request = hold_to_horizon(request, line)
    jobs = get_jobs(runtime)
    if await repository.count_active(session, user.id) >= jobs.limits.per_user_active:
        raise ProblemError(
            429,
            "too-many-backtests",
            f"you have {jobs.limits.per_user_active} backtests queued or running; wait for one "
            "to finish or cancel one",
        )
    if body.dataset is not None:
        store = get_object_store(runtime)
        if not await store.exists(dataset_key(user.id, body.dataset)):
            names = [item.name for item in await datasets(runtime, user)]
            raise invalid("dataset", f"you have no dataset {body.dataset!r}", choices=names)
    row = BacktestRun(
        id=str(uuid.uuid4()),
        owner_id=user.id,
        status=JobStatus.QUEUED.value,
        strategy=request["strategy"],
        symbol=request["symbol"],
        dataset=request["dataset"],
        request=request,
        progress=0.0,
        created_at=runtime.clock.now(),
    )
    session.add(row)
    await session.flush()
    _notify(session, runtime, row)
    after_commit(session, lambda: jobs.submit(row.id, user.id))
    return row


async def get_run(session: AsyncSession, user: User, run_id: str) -> BacktestRun:
    row = await repository.get_run(session, run_id, user.id)
    if row is None:
        raise not_found("backtest")
    return row


async def list_runs(
    session: AsyncSession, user: User, *, limit: int, offset: int, status: JobStatus | None
) -> Sequence[BacktestRun]:
    return await repository.list_runs(
        session, user.id, limit=limit, offset=offset, status=status.value if status else None
    )


def _require_success(row: BacktestRun) -> None:
    if row.status != JobStatus.SUCCEEDED.value:
        raise ProblemError(
            409,
            "backtest-not-finished",
            f"this backtest is {row.status}; results exist once it has succeeded",
            backtest_status=row.status,
        )


async def _stored(runtime: Runtime, key: str | None) -> bytes:
    try:
        if key is None:
            raise ObjectNotFound("")
        return await get_object_store(runtime).get(key)
    except ObjectNotFound as exc:
        raise ProblemError(
            410, "backtest-results-gone", "the stored results of this backtest are gone"
        ) from exc


async def trades(
    session: AsyncSession, runtime: Runtime, user: User, run_id: str
) -> list[TradeOut]:
    """The closed trades of a succeeded backtest, in order."""
    row = await get_run(session, user, run_id)
    _require_success(row)
    document = json.loads(await _stored(runtime, row.result_key))
    return [TradeOut.model_validate(trade) for trade in document["trades"]]


async def equity(
    session: AsyncSession, runtime: Runtime, user: User, run_id: str
) -> list[BacktestEquityPointOut]:
    """The equity curve and drawdown of a succeeded backtest, thinned for a chart."""
    row = await get_run(session, user, run_id)
    _require_success(row)
    document = json.loads(await _stored(runtime, row.result_key))
    return [BacktestEquityPointOut.model_validate(point) for point in document.get("equity", [])]


async def report(session: AsyncSession, runtime: Runtime, user: User, run_id: str) -> bytes:
    """The self-contained HTML report of a succeeded backtest (UTF-8)."""
    row = await get_run(session, user, run_id)
    _require_success(row)
    return await _stored(runtime, row.report_key)


async def report_download(
    session: AsyncSession, runtime: Runtime, user: User, run_id: str
) -> str | bytes:
    """The report as a download: a presigned URL where the store has them (S3), else its bytes."""
    row = await get_run(session, user, run_id)
    _require_success(row)
    store = get_object_store(runtime)
    if row.report_key is not None and await store.exists(row.report_key):
        url = await store.presigned_url(
            row.report_key,
            filename=f"backtest-{row.id}.html",
            expires_seconds=runtime.settings.object_download_seconds,
        )
        if url is not None:
            return url
    return await _stored(runtime, row.report_key)


async def cancel(session: AsyncSession, runtime: Runtime, user: User, run_id: str) -> BacktestRun:
    """Cancel a queued or running backtest; a finished one is refused (409)."""
    row = await get_run(session, user, run_id)
    changed = await repository.transition(
        session,
        run_id,
        allowed_from=ACTIVE_STATUSES,
        values={
            "status": JobStatus.CANCELLED.value,
            "finished_at": runtime.clock.now(),
            "error": "cancelled at your request",
        },
    )
    await session.refresh(row)
    if not changed:
        raise ProblemError(
            409,
            "backtest-finished",
            f"this backtest has already {row.status}; only a queued or running one can be cancelled",
            backtest_status=row.status,
        )
    _notify(session, runtime, row)
    jobs = get_jobs(runtime)
    after_commit(session, lambda: jobs.cancel(run_id))
    return row


def describe(row: BacktestRun) -> JobOut:
    return JobOut.model_validate(_fields(row))


def describe_detail(row: BacktestRun) -> JobDetailOut:
    links = {"self": f"{API_BASE}/{row.id}"}
    if row.status == JobStatus.SUCCEEDED.value:
        links.update(
            trades=f"{API_BASE}/{row.id}/trades",
            equity=f"{API_BASE}/{row.id}/equity",
            report=f"{API_BASE}/{row.id}/report",
            report_download=f"{API_BASE}/{row.id}/report/download",
        )
    return JobDetailOut.model_validate(
        {**_fields(row), "request": row.request, "stats": row.stats, "links": links}
    )


def _fields(row: BacktestRun) -> dict[str, Any]:
    stats = row.stats or {}
    duration = None
    if row.started_at is not None and row.finished_at is not None:
        duration = (row.finished_at - row.started_at).total_seconds()
    return {
        "id": row.id,
        "status": row.status,
        "progress": row.progress,
        "strategy": row.strategy,
        "symbol": row.symbol,
        "dataset": row.dataset,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "duration_seconds": duration,
        "trade_count": row.trade_count,
        "final_equity": stats.get("final_equity"),
        "return_pct": stats.get("return_pct"),
        "error": row.error,
        "note": row.request.get("note"),
    }


async def datasets(runtime: Runtime, user: User) -> list[DatasetOut]:
    """The caller's uploaded OHLCV files."""
    prefix = dataset_key(user.id, "")
    items = await get_object_store(runtime).list(prefix)
    return [
        DatasetOut(name=item.key.removeprefix(prefix), size=item.size, uploaded_at=item.modified_at)
        for item in items
    ]


async def upload_dataset(runtime: Runtime, user: User, name: str, data: bytes) -> DatasetOut:
    """Store an OHLCV CSV or Parquet file as the caller's dataset `name` (replacing one)."""
    if not DATASET_NAME.match(name):
        raise invalid(
            "name",
            "a dataset name ends in .csv or .parquet (letters, digits, ._-, no two dots in a row)",
        )
    store = get_object_store(runtime)
    key = dataset_key(user.id, name)
    replacing = next((item.size for item in await store.list(key) if item.key == key), 0)
    await check_quota(runtime, user, len(data), replacing=replacing)
    try:
        frame = await asyncio.to_thread(load_dataset_bytes, data, name)
    except JobFailed as exc:
        raise invalid("body", str(exc)) from exc
    if len(frame) < 2:
        raise invalid("body", f"dataset {name!r} has {len(frame)} usable bar(s); at least 2")
    content_type = "application/vnd.apache.parquet" if name.endswith(".parquet") else "text/csv"
    item = await get_object_store(runtime).put(dataset_key(user.id, name), data, content_type)
    return DatasetOut(name=name, size=item.size, uploaded_at=item.modified_at)


async def delete_dataset(runtime: Runtime, user: User, name: str) -> None:
    """Delete the caller's dataset `name` (404 when they have none by that name)."""
    store = get_object_store(runtime)
    if not DATASET_NAME.match(name) or not await store.exists(dataset_key(user.id, name)):
        raise not_found("dataset")
    await store.delete(dataset_key(user.id, name))
