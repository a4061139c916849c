"""The job runner: runs submitted backtests in worker processes, off the API process.

Each job runs in a process of its own (`isolation.run_isolated`) with a wall-time and a memory
limit; a thread of this process waits for it and relays its progress. Concurrency is bounded
globally (`JobLimits.workers` processes at once) and per user (`per_user_running`);
more jobs wait in `queued`. Progress is persisted at most every `progress_interval` seconds and
published to the owner's `notifications:<user_id>` channel as
`{"type": "backtest", "backtest": {"id", "status", "progress"}}`.

Finished jobs older than `retention_days` are deleted with their stored results, by the reaper
(every `heartbeat_interval` seconds).

Jobs are run by the process that accepted them. A process that dies leaves its jobs `queued` or
`running`; they are marked **failed** (not requeued: the run may be what killed the process, and a
requeued job could crash every restart). In the one-process role (`all`) every active job found at
start is such an orphan; with several processes, a job is an orphan once its heartbeat is older
than `stale_after` seconds, checked at start and every `heartbeat_interval` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import update

from keel.server.backtests import repository
from keel.server.backtests.isolation import ProcessLimits, run_isolated
from keel.server.backtests.models import BacktestRun
from keel.server.backtests.schemas import ACTIVE_STATUSES, JobStatus
from keel.server.backtests.work import JobCancelled, JobFailed, JobOutput, JobSpec
from keel.server.objectstore import ObjectNotFound, get_object_store
from keel.server.pubsub import get_pubsub, user_channel
from keel.server.realtime.payloads import backtest_data
from keel.server.runtime import Runtime
from keel.server.settings import Settings

log = structlog.get_logger(__name__)

RESTART_MESSAGE = (
    "the server restarted before this backtest finished; nothing was kept — submit it again"
)
STOP_MESSAGE = "the server stopped before this backtest finished; submit it again"


@dataclass(frozen=True)
class JobLimits:
    workers: int = 2
    """Backtests running at once in this process (threads)."""
    per_user_running: int = 1
    """Backtests of one user running at once; the others wait queued."""
    per_user_active: int = 10
    """Queued plus running backtests one user may have; more are refused (429)."""
    progress_interval: float = 0.5
    """Seconds between persisted progress updates of a running job."""
    heartbeat_interval: float = 10.0
    stale_after: float = 60.0
    """Seconds without a heartbeat after which another process's active job counts as orphaned."""
    time_seconds: float = 120.0
    """Wall seconds one job may run in its worker process."""
    memory_mb: int = 1024
    """MiB one job may allocate in its worker process."""
    retention_days: float = 30.0
    """Finished jobs older than this are deleted, results and reports too."""

    @classmethod
    def from_settings(cls, settings: Settings) -> JobLimits:
        return cls(
            time_seconds=settings.backtest_time_limit_seconds,
            memory_mb=settings.backtest_memory_limit_mb,
            retention_days=settings.backtest_retention_days,
        )


def run_job(
    spec: JobSpec, dataset: bytes | None, progress: Callable[[float], None], limits: JobLimits
) -> JobOutput:
    """Run one job in a worker process under `limits` (blocking: call it from a thread)."""
    return run_isolated(
        spec, dataset, progress, ProcessLimits(limits.time_seconds, limits.memory_mb)
    )


def dataset_key(owner_id: str, name: str) -> str:
    return f"datasets/{owner_id}/{name}"


def result_keys(owner_id: str, run_id: str) -> tuple[str, str]:
    """Object keys of the JSON result and the HTML report of a job."""
    folder = f"backtests/{owner_id}/{run_id}"
    return f"{folder}/result.json", f"{folder}/report.html"


class _Progress:
    """Progress shared between the worker thread and the event loop (a float write is atomic)."""

    def __init__(self, cancel: threading.Event) -> None:
        self.value = 0.0
        self.cancel = cancel

    def __call__(self, fraction: float) -> None:
        if self.cancel.is_set():
            raise JobCancelled
        self.value = fraction


class BacktestJobs:
    """Schedules, runs, cancels and reaps backtest jobs of this process."""

    def __init__(self, runtime: Runtime, limits: JobLimits | None = None) -> None:
        self.runtime = runtime
        self.limits = limits or JobLimits.from_settings(runtime.settings)
        self._pool = ThreadPoolExecutor(self.limits.workers, thread_name_prefix="keel-backtest")
        self._global = asyncio.Semaphore(self.limits.workers)
        self._per_user: dict[str, tuple[asyncio.Semaphore, int]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._cancel: dict[str, threading.Event] = {}
        self._reaper: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Fail the jobs orphaned by a previous process, then heartbeat and reap periodically."""
        await self.reap(everything=self.runtime.settings.role == "all")
        await self.expire()
        self._reaper = asyncio.create_task(self._reap_forever(), name="keel-backtest-reaper")

    async def stop(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        pending = list(self._tasks.items())
        for run_id, task in pending:
            self.cancel(run_id)
            task.cancel()
        for run_id, task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            await self._finish(run_id, None, JobStatus.FAILED, error=STOP_MESSAGE)
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def active(self) -> int:
        """Jobs queued or running in this process."""
        return len(self._tasks)

    # -- API of the service --------------------------------------------------------------------

    def submit(self, run_id: str, owner_id: str) -> None:
        """Start running job `run_id` (already committed as `queued`) when slots allow."""
        self._cancel[run_id] = threading.Event()
        self._tasks[run_id] = asyncio.get_running_loop().create_task(
            self._run(run_id, owner_id), name=f"keel-backtest-{run_id}"
        )

    def cancel(self, run_id: str) -> None:
        """Stop job `run_id` at its next checkpoint (its row is already `cancelled`)."""
        event = self._cancel.get(run_id)
        if event is not None:
            event.set()

    async def wait(self, run_id: str) -> None:
        """Wait until this process has finished with job `run_id` (tests, shutdown)."""
        task = self._tasks.get(run_id)
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    # -- running -------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _user_slot(self, owner_id: str) -> AsyncIterator[None]:
        semaphore, users = self._per_user.get(owner_id) or (
            asyncio.Semaphore(self.limits.per_user_running),
            0,
        )
        self._per_user[owner_id] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._per_user[owner_id]
            if users <= 1:
                del self._per_user[owner_id]
            else:
                self._per_user[owner_id] = (semaphore, users - 1)

    async def _run(self, run_id: str, owner_id: str) -> None:
        cancel = self._cancel[run_id]
        try:
            async with self._user_slot(owner_id), self._global:
                if cancel.is_set():
                    return
                request = await self._start_running(run_id, owner_id)
                # The task was made in the submitting request's context: this line names it.
                log.info("backtest started", run_id=run_id)
                if request is not None:
                    await self._execute(run_id, owner_id, request, cancel)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("backtest job crashed", run_id=run_id)
            await self._finish(run_id, owner_id, JobStatus.FAILED, error=_describe(exc))
        finally:
            self._tasks.pop(run_id, None)
            self._cancel.pop(run_id, None)

    async def _start_running(self, run_id: str, owner_id: str) -> dict[str, Any] | None:
        now = self.runtime.clock.now()
        async with self.runtime.sessionmaker() as session, session.begin():
            started = await repository.transition(
                session,
                run_id,
                allowed_from=[JobStatus.QUEUED.value],
                values={"status": JobStatus.RUNNING.value, "started_at": now, "heartbeat_at": now},
            )
            row = await repository.get_run_any_owner(session, run_id) if started else None
            request = dict(row.request) if row is not None else None
        if request is not None:
            await self._publish(owner_id, run_id, JobStatus.RUNNING, 0.0)
        return request

    async def _execute(
        self, run_id: str, owner_id: str, request: dict[str, Any], cancel: threading.Event
    ) -> None:
        spec = JobSpec.from_request(request)
        store = get_object_store(self.runtime)
        dataset: bytes | None = None
        if spec.dataset is not None:
            with contextlib.suppress(ObjectNotFound):
                dataset = await store.get(dataset_key(owner_id, spec.dataset))
        progress = _Progress(cancel)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, run_job, spec, dataset, progress, self.limits)
        reported = 0.0
        while not future.done():
            await asyncio.wait({future}, timeout=self.limits.progress_interval)
            if not future.done() and progress.value != reported:
                reported = progress.value
                if not await self._save_progress(run_id, owner_id, reported):
                    cancel.set()  # cancelled (or failed) elsewhere: stop at the next checkpoint
        try:
            output = future.result()
        except JobCancelled:
            await self._finish(run_id, owner_id, JobStatus.CANCELLED, error=None)
            return
        except JobFailed as exc:
            await self._finish(run_id, owner_id, JobStatus.FAILED, error=str(exc))
            return
        result_key, report_key = result_keys(owner_id, run_id)
        await store.put(result_key, output.result_json, "application/json")
        await store.put(report_key, output.report_html, "text/html; charset=utf-8")
        stored = await self._finish(
            run_id,
            owner_id,
            JobStatus.SUCCEEDED,
            error=None,
            stats=output.stats,
            trade_count=output.trade_count,
            result_key=result_key,
            report_key=report_key,
        )
        if not stored:  # cancelled while the results were written: keep nothing
            for key in (result_key, report_key):
                await store.delete(key)

    async def _save_progress(self, run_id: str, owner_id: str, fraction: float) -> bool:
        async with self.runtime.sessionmaker() as session, session.begin():
            changed = await repository.transition(
                session,
                run_id,
                allowed_from=[JobStatus.RUNNING.value],
                values={"progress": fraction, "heartbeat_at": self.runtime.clock.now()},
            )
        if changed:
            await self._publish(owner_id, run_id, JobStatus.RUNNING, fraction)
        return changed

    async def _finish(
        self,
        run_id: str,
        owner_id: str | None,
        status: JobStatus,
        *,
        error: str | None,
        **values: Any,
    ) -> bool:
        """Move an active job to its final `status`; False if it had already finished."""
        values.update(status=status.value, finished_at=self.runtime.clock.now())
        if status is JobStatus.SUCCEEDED:
            values["progress"] = 1.0
        if error is not None:
            values["error"] = error[:2000]
        async with self.runtime.sessionmaker() as session, session.begin():
            changed = await repository.transition(
                session, run_id, allowed_from=ACTIVE_STATUSES, values=values
            )
            row = await repository.get_run_any_owner(session, run_id)
        if changed and row is not None:
            await self._publish(owner_id or row.owner_id, run_id, status, row.progress)
        return changed

    async def _publish(
        self, owner_id: str, run_id: str, status: JobStatus, progress: float
    ) -> None:
        pubsub = self.runtime.pubsub
        if pubsub is None:
            return
        message = backtest_data(run_id, status.value, progress)
        try:
            await get_pubsub(self.runtime).publish(user_channel("notifications", owner_id), message)
        except Exception:
            log.exception("backtest progress publish failed", run_id=run_id)

    # -- orphans -------------------------------------------------------------------------------

    async def reap(self, *, everything: bool) -> list[str]:
        """Fail active jobs no process is running (all of them when `everything`)."""
        now = self.runtime.clock.now()
        stale = None if everything else now - timedelta(seconds=self.limits.stale_after)
        async with self.runtime.sessionmaker() as session, session.begin():
            if self._tasks:
                await session.execute(
                    update(BacktestRun)
                    .where(BacktestRun.id.in_(list(self._tasks)))
                    .values(heartbeat_at=now)
                    .execution_options(synchronize_session=False)
                )
            failed = await repository.fail_orphans(
                session, message=RESTART_MESSAGE, now=now, stale_before=stale
            )
        if failed:
            log.warning("orphaned backtests marked failed", count=len(failed))
        return failed

    async def expire(self) -> int:
        """Delete finished jobs older than `retention_days` and their stored results; how many."""
        cutoff = self.runtime.clock.now() - timedelta(days=self.limits.retention_days)
        async with self.runtime.sessionmaker() as session, session.begin():
            expired = await repository.delete_finished_before(session, cutoff)
        store = get_object_store(self.runtime)
        for owner_id, run_id in expired:
            for key in result_keys(owner_id, run_id):
                await store.delete(key)
        if expired:
            log.info("old backtests deleted", count=len(expired))
        return len(expired)

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.limits.heartbeat_interval)
            try:
                await self.reap(everything=False)
                await self.expire()
            except Exception:
                log.exception("backtest reaper failed")


def _describe(exc: BaseException) -> str:
    return f"the backtest failed unexpectedly ({type(exc).__name__}: {exc})"


def get_jobs(runtime: Runtime) -> BacktestJobs:
    if runtime.backtests is None:
        raise RuntimeError("the runtime has not started")
    return runtime.backtests
