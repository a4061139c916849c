"""The job runner: cancellation, concurrency bounds, failures recorded, orphans after a restart."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from httpx import AsyncClient

from keel.backtest.export import result_to_dict
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings, FillTiming
from keel.backtest.strategies import SmaCross
from keel.market.datasets import load_bundled, load_file
from keel.server.backtests import jobs as jobs_module
from keel.server.backtests.jobs import RESTART_MESSAGE, JobLimits, get_jobs
from keel.server.backtests.work import MAX_DATASET_ROWS, JobSpec
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.backtests.factories import BASE, run, submit, wait_finished
from tests.integration.conftest import make_settings


def _blocking_execute(spec: JobSpec, dataset: bytes | None, progress: Any) -> Any:
    """Stands in for the core: reports half-way, then waits until the job is cancelled."""
    for _ in range(6000):  # at most ~60 s, then fail loudly
        progress(0.5)  # raises JobCancelled once the job is cancelled
        time.sleep(0.01)
    raise AssertionError("the blocked job was never cancelled")


@pytest.fixture
def blocking(monkeypatch: pytest.MonkeyPatch) -> None:
    # In a thread of this process: a worker process would not see the patch.
    monkeypatch.setattr(
        jobs_module,
        "run_job",
        lambda spec, data, progress, _: _blocking_execute(spec, data, progress),
    )


async def _wait_status(
    client: AsyncClient, user: AuthedUser, run_id: str, status: str, progress: float = 0.0
) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = (await client.get(f"{BASE}/{run_id}", headers=user.headers)).json()
        if job["status"] == status and job["progress"] >= progress:
            return job
        assert job["status"] in {"queued", "running"}, job
        await _sleep()
    raise AssertionError(f"{run_id} never reached {status}: {job}")


async def _sleep() -> None:
    import asyncio

    await asyncio.sleep(0.05)


async def test_cancel_stops_a_running_job_and_keeps_nothing(
    client: AsyncClient, runtime: Runtime, blocking: None
) -> None:
    user = await create_user(client)
    run_id = (await submit(client, user)).json()["id"]
    running = await _wait_status(client, user, run_id, "running", progress=0.5)
    assert running["progress"] == 0.5 and running["started_at"] is not None
    response = await client.delete(f"{BASE}/{run_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    await get_jobs(runtime).wait(run_id)
    job = (await client.get(f"{BASE}/{run_id}", headers=user.headers)).json()
    assert job["status"] == "cancelled" and job["error"] == "cancelled at your request"
    assert job["stats"] is None and "report" not in job["links"]
    report = await client.get(f"{BASE}/{run_id}/report", headers=user.headers)
    assert report.status_code == 409 and report.json()["backtest_status"] == "cancelled"
    assert await get_object_store(runtime).list(f"backtests/{user.id}/") == []
    again = await client.delete(f"{BASE}/{run_id}", headers=user.headers)
    assert again.status_code == 409


async def test_one_running_job_per_user_the_rest_queue_and_a_cap_refuses_more(
    client: AsyncClient, runtime: Runtime, blocking: None
) -> None:
    get_jobs(runtime).limits = JobLimits(per_user_running=1, per_user_active=2)
    user, other = await create_user(client), await create_user(client)
    first = (await submit(client, user)).json()["id"]
    await _wait_status(client, user, first, "running", progress=0.5)
    second = (await submit(client, user)).json()["id"]
    refused = await submit(client, user)
    assert refused.status_code == 429, refused.text
    assert refused.json()["type"].endswith("/too-many-backtests")
    # Another user's job runs alongside (two global workers) while `second` waits its turn.
    theirs = (await submit(client, other)).json()["id"]
    await _wait_status(client, other, theirs, "running", progress=0.5)
    assert (await client.get(f"{BASE}/{second}", headers=user.headers)).json()["status"] == "queued"
    await client.delete(f"{BASE}/{first}", headers=user.headers)
    await _wait_status(client, user, second, "running", progress=0.5)
    for owner, run_id in ((user, second), (other, theirs)):
        assert (await client.delete(f"{BASE}/{run_id}", headers=owner.headers)).status_code == 200
        await get_jobs(runtime).wait(run_id)


def _goog_csv(start: str, end: str) -> bytes:
    frame = load_bundled("GOOG").loc[start:end]
    buffer = io.StringIO()
    frame.to_csv(buffer, index_label="Date")
    return buffer.getvalue().encode()


async def test_uploaded_dataset_runs_like_the_core_and_a_bad_range_fails_with_its_reason(
    client: AsyncClient, tmp_path: Path
) -> None:
    user = await create_user(client)
    data = _goog_csv("2009-01-01", "2010-06-30")
    uploaded = await client.put(
        f"{BASE}/datasets/goog-2009.csv", content=data, headers=user.headers
    )
    assert uploaded.status_code == 201, uploaded.text
    listed = (await client.get(f"{BASE}/datasets", headers=user.headers)).json()
    assert [(item["name"], item["size"]) for item in listed] == [("goog-2009.csv", len(data))]

    job = await run(client, user, dataset="goog-2009.csv", params={"fast": 5, "slow": 20})
    assert job["status"] == "succeeded", job
    (tmp_path / "goog.csv").write_bytes(data)
    core = run_backtest(load_file(tmp_path / "goog.csv"), SmaCross, {"fast": 5, "slow": 20})
    assert job["stats"] == result_to_dict(core)["stats"]

    failed = await run(client, user, dataset="goog-2009.csv", **{"from": "2015-01-01"})
    assert failed["status"] == "failed"
    assert "0 bar(s)" in failed["error"] and "goog-2009.csv" in failed["error"]
    assert failed["stats"] is None and failed["finished_at"] is not None
    listed_jobs = (await client.get(f"{BASE}?status=failed", headers=user.headers)).json()
    assert [item["id"] for item in listed_jobs] == [failed["id"]]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("prices.csv", b"Date,Price\n2020-01-01,1\n2020-01-02,2\n"),
        ("prices.csv", b"Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n"),
        ("prices.txt", b"Date,Open,High,Low,Close\n"),
        (".hidden.csv", b"Date,Open,High,Low,Close\n"),
        # Valid rows, a name the object store refuses: it was a 500 (finding 12 of issue 12).
        ("a..csv", b"Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n2020-01-02,2,2,2,2\n"),
        ("x..parquet", b"Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n"),
    ],
)
async def test_bad_uploads_are_422(client: AsyncClient, name: str, content: bytes) -> None:
    user = await create_user(client)
    response = await client.put(f"{BASE}/datasets/{name}", content=content, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{BASE}/datasets", headers=user.headers)).json() == []


async def test_a_whole_history_uploads_past_the_general_body_limit_and_a_file_past_the_upload_limit_is_413(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    buffer = io.StringIO()
    load_bundled("SPX").to_csv(buffer, index_label="Date")
    history = buffer.getvalue().encode()
    assert len(history) > runtime.settings.max_body_bytes  # refused before uploads had their own
    uploaded = await client.put(f"{BASE}/datasets/spx.csv", content=history, headers=user.headers)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["size"] == len(history)

    too_big = b"x" * (runtime.settings.max_upload_bytes + 1)
    refused = await client.put(f"{BASE}/datasets/huge.csv", content=too_big, headers=user.headers)
    assert refused.status_code == 413
    assert refused.json()["type"].endswith("/body-too-large")
    assert refused.json()["detail"] == (
        "The request is too big: at most 10 MB is accepted here. Send less data."
    )
    # Only the upload route takes more: the same bytes elsewhere meet the general limit.
    elsewhere = await client.post(f"{BASE}/backtests", content=history, headers=user.headers)
    assert elsewhere.status_code == 413
    assert "at most 64 KB" in elsewhere.json()["detail"]
    listed = await client.get(f"{BASE}/datasets", headers=user.headers)
    assert [item["name"] for item in listed.json()] == ["spx.csv"]


async def test_a_small_parquet_file_of_too_many_rows_is_refused_before_it_is_decoded(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    rows = MAX_DATASET_ROWS * 2 + 1
    frame = pd.DataFrame(
        {"Date": [pd.Timestamp("2020-01-01")] * rows}
        | {column: [1.0] * rows for column in ("Open", "High", "Low", "Close", "Volume")}
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer, compression="zstd", index=False)
    assert len(buffer.getvalue()) < 16 * 1024  # a few KiB on the wire, 200,001 rows inside
    response = await client.put(
        f"{BASE}/datasets/bomb.parquet", content=buffer.getvalue(), headers=user.headers
    )
    assert response.status_code == 422, response.text
    assert "too big" in response.json()["detail"]
    assert (await client.get(f"{BASE}/datasets", headers=user.headers)).json() == []


async def test_a_restart_fails_orphaned_jobs_but_spares_live_ones(
    client: AsyncClient, runtime: Runtime, database_url: str, tmp_path: Path, blocking: None
) -> None:
    user = await create_user(client)
    run_id = (await submit(client, user)).json()["id"]
    await _wait_status(client, user, run_id, "running", progress=0.5)

    # Another API replica starting: the job's heartbeat is fresh, so it is left alone.
    replica = Runtime.build(make_settings(database_url, tmp_path / "replica", role="api"))
    await replica.start()
    await replica.stop()
    assert (await client.get(f"{BASE}/{run_id}", headers=user.headers)).json()["status"] == (
        "running"
    )

    # The single-process server starting again: whatever was active is an orphan.
    restarted = Runtime.build(make_settings(database_url, tmp_path / "restart", role="all"))
    await restarted.start()
    await restarted.stop()
    job = await wait_finished(client, user, run_id)
    assert job["status"] == "failed" and job["error"] == RESTART_MESSAGE
    get_jobs(runtime).cancel(run_id)
    await get_jobs(runtime).wait(run_id)
    assert (await client.get(f"{BASE}/{run_id}", headers=user.headers)).json()["status"] == (
        "failed"
    )


def test_a_stored_request_rebuilds_the_core_settings() -> None:
    request = {
        "strategy": "sma-cross", "params": {"fast": 10.0, "slow": 30.0}, "cash": "25000.00",
        "commission": 0.002, "spread": 0.0, "slippage": 0.0, "fill": "close", "sizing": "all-in",
        "fraction": 1.0, "units": 1.0, "target_vol": 0.15, "long_short": False,
        "breakers": False, "close_at_end": True, "symbol": "GOOG", "dataset": None,
        "from": "2006-01-01", "to": "2007-12-31",
    }  # fmt: skip
    spec = JobSpec.from_request(request)
    assert spec.settings == ExecutionSettings(
        cash=25_000.0, commission=0.002, fill=FillTiming.CLOSE, long_short=False
    )
    assert (spec.symbol, spec.dataset, spec.strategy) == ("GOOG", None, "sma-cross")
    assert (spec.start, spec.end) == (date(2006, 1, 1), date(2007, 12, 31))
