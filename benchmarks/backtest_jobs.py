"""Backtest jobs through the API next to the same work done directly, in the same run.

    .venv/bin/python benchmarks/backtest_jobs.py [--jobs 20]

Peer: `run_backtest` + JSON + HTML report of SMA cross 10/30 on GOOG called directly (what each
job does). Measured: one job submitted over HTTP (in-process ASGI, SQLite) and polled to success,
and `--jobs` jobs submitted at once (two workers). Also the event loop's worst lag (how late a
10 ms sleep wakes up) while idle and while the batch runs: jobs must not block the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from httpx import ASGITransport, AsyncClient

from keel.backtest.export import result_to_dict
from keel.backtest.report import render_html
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import SmaCross
from keel.market.datasets import load_bundled
from keel.server.app import create_app
from keel.server.backtests.jobs import get_jobs
from keel.server.migrate import upgrade
from keel.server.runtime import Runtime
from keel.server.settings import Environment, Settings

BODY = {"symbol": "GOOG", "strategy": "sma-cross", "params": {"fast": 10, "slow": 30},
        "long_short": True}  # fmt: skip


def direct_seconds(repeats: int) -> float:
    frame = load_bundled("GOOG")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run_backtest(frame, SmaCross, {"fast": 10, "slow": 30},
                              ExecutionSettings(cash=10_000, long_short=True))  # fmt: skip
        result_to_dict(result)
        render_html(result)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def loop_lag(stop: asyncio.Event) -> float:
    """Worst lateness (s) of a 10 ms sleep until `stop` is set."""
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - started - 0.01)
    return worst


async def main(jobs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="keel-bench-"))
    settings = Settings(environment=Environment.TEST, var_dir=folder, log_level="WARNING",
                        demo_users=False, replay_autostart=False)  # fmt: skip
    runtime = Runtime.build(settings)
    await upgrade(runtime.database)
    await runtime.start()
    transport = ASGITransport(app=create_app(runtime=runtime))
    async with AsyncClient(transport=transport, base_url="http://bench") as http:
        email = "bench@example.com"
        password = "plum-Orbit-42-velvet"
        await http.post("/api/v1/auth/register", json={
            "email": email, "password": password, "display_name": "Bench",
            "date_of_birth": "1980-01-01", "role": "learner"})  # fmt: skip
        token = (await http.post("/api/v1/auth/login", json={"email": email, "password": password}
                                 )).json()["access_token"]  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"}
        runner = get_jobs(runtime)
        runner.limits = type(runner.limits)(per_user_running=2, per_user_active=jobs + 1)

        async def one() -> float:
            started = time.perf_counter()
            job = (await http.post("/api/v1/backtests", json=BODY, headers=headers)).json()
            while job["status"] in ("queued", "running"):
                await asyncio.sleep(0.005)
                job = (await http.get(f"/api/v1/backtests/{job['id']}", headers=headers)).json()
            assert job["status"] == "succeeded", job
            return time.perf_counter() - started

        await one()  # warm caches (history load, imports)
        single = statistics.median([await one() for _ in range(5)])
        stop = asyncio.Event()
        idle_task = asyncio.create_task(loop_lag(stop))
        await asyncio.sleep(1.0)
        stop.set()
        idle_lag = await idle_task
        stop = asyncio.Event()
        busy_task = asyncio.create_task(loop_lag(stop))
        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(jobs)))
        batch = time.perf_counter() - started
        stop.set()
        busy_lag = await busy_task
    await runtime.stop()
    peer = direct_seconds(5)
    print(f"direct run + JSON + report (peer):    {peer * 1000:8.1f} ms per backtest")
    print(f"one job over HTTP, polled to success: {single * 1000:8.1f} ms")
    print(f"{jobs} jobs at once (2 workers):        {batch:8.2f} s  ({jobs / batch:.1f} jobs/s)")
    print(
        f"event-loop worst lag idle / busy:     {idle_lag * 1000:6.1f} / {busy_lag * 1000:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=20)
    asyncio.run(main(parser.parse_args().jobs))
