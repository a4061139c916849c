"""One backtest in a worker process of its own, with a wall-time and a memory limit.

A backtest in the API process held its memory (4.4 GiB for one crafted upload) and shared its
CPU with every request (finding 4 of issue 12). Here each job runs in a process forked from a
fork server that preloaded the backtest code and the bundled histories (no fork of the threaded
event loop), at most `JobLimits.workers` at a time. The worker lowers its own data-size limit to what it started
with plus `memory_mb`, so an allocation past it raises `MemoryError` there; the parent kills a
worker that runs past `time_seconds`, or that is cancelled and does not stop at its next
checkpoint. Either way the job fails with a reason the user can read and the server stays up.
Workers run niced (`WORKER_NICENESS`): on a busy machine the API's requests get the CPU first.

`run_isolated` blocks: the job runner calls it from a thread, as it called `work.execute`.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from keel.server.backtests.work import JobCancelled, JobFailed, JobOutput, JobSpec, execute

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["keel.server.backtests.preload"])
WORKER_NICENESS = 10
"""Workers run at a lower CPU priority, so the API's requests come first on a busy machine."""
START_TIMEOUT_SECONDS = 300.0
"""How long a worker may take to start (the fork server starts with the first job): apart from
the job's own time limit, which counts from the worker's first word."""
POLL_SECONDS = 0.05
CANCEL_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class ProcessLimits:
    time_seconds: float
    """Wall seconds one job may run (loading, the run and the report)."""
    memory_mb: int
    """MiB one job may allocate beyond what its worker process starts with."""


def _data_size() -> int:
    """Bytes of private writable memory (heap, anonymous mappings) this process has now."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmData in /proc/self/status")


def _worker(
    spec: JobSpec, dataset: bytes | None, conn: Connection, cancel: Any, memory_mb: int
) -> None:
    """The worker process: limit memory, yield the CPU, run, send progress, then one final
    message."""
    os.nice(WORKER_NICENESS)
    # RLIMIT_DATA, not RLIMIT_AS: malloc reserves address space it may never use (an arena per
    # thread), but memory becomes data only when it is made writable, which is what a job uses.
    ceiling = _data_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))
    conn.send(("started", None))

    def progress(fraction: float) -> None:
        if cancel.is_set():
            raise JobCancelled
        conn.send(("progress", fraction))

    try:
        conn.send(("done", execute(spec, dataset, progress)))
    except JobCancelled:
        conn.send(("cancelled", None))
    except JobFailed as exc:
        conn.send(("failed", str(exc)))
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def memory_message(limits: ProcessLimits) -> str:
    return (
        f"the backtest needed more memory than the {limits.memory_mb} MiB one backtest may use, "
        "so it was stopped; try a shorter date range or a smaller file"
    )


def time_message(limits: ProcessLimits) -> str:
    return (
        f"the backtest ran longer than the {limits.time_seconds:g} seconds one backtest may "
        "take, so it was stopped; try a shorter date range"
    )


def run_isolated(
    spec: JobSpec,
    dataset: bytes | None,
    progress: Callable[[float], None],
    limits: ProcessLimits,
) -> JobOutput:
    """Run `execute` in a worker process; progress is relayed to `progress` (which may raise
    `JobCancelled`). Raises `JobFailed` with the reason when a limit stops the job."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    cancel = _CONTEXT.Event()
    worker = _CONTEXT.Process(
        target=_worker,
        args=(spec, dataset, sender, cancel, limits.memory_mb),
        name="keel-backtest-worker",
        daemon=True,
    )
    worker.start()
    sender.close()
    launched, started = time.monotonic(), None
    cancelled_at: float | None = None
    try:
        while True:
            # The limits are judged on every turn: a job sending progress all the time must
            # still stop at its time limit (judged only between messages, it never did).
            now = time.monotonic()
            if started is not None and now - started > limits.time_seconds:
                raise JobFailed(time_message(limits))
            if started is None and now - launched > START_TIMEOUT_SECONDS:
                raise JobFailed("the backtest could not start: the server is too busy, try again")
            if cancelled_at is not None and now - cancelled_at > CANCEL_GRACE_SECONDS:
                raise JobCancelled
            if receiver.poll(POLL_SECONDS):
                try:
                    kind, value = receiver.recv()
                except EOFError:
                    break
                if kind == "started":
                    started = time.monotonic()
                    continue
                if kind == "progress":
                    try:
                        progress(value)
                    except JobCancelled:
                        cancel.set()
                        cancelled_at = time.monotonic()
                    continue
                if kind == "done":
                    output: JobOutput = value
                    return output
                if kind == "cancelled":
                    raise JobCancelled
                if kind == "memory":
                    raise JobFailed(memory_message(limits))
                raise JobFailed(str(value))
            if not worker.is_alive() and not receiver.poll():
                break
        # The worker ended without a word: killed by the system (out of memory) or crashed.
        worker.join(1)
        if worker.exitcode is not None and worker.exitcode < 0:
            raise JobFailed(memory_message(limits))
        raise JobFailed(f"the backtest stopped unexpectedly (exit code {worker.exitcode})")
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(5)
        receiver.close()
