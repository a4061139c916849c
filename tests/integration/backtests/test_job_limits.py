"""Backtests run in worker processes with time and memory limits; storage has quotas and
retention (the rest of finding 4 of issue 12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pandas as pd
import pytest
from httpx import AsyncClient
from sqlalchemy import update

from keel.server.backtests.jobs import dataset_key, get_jobs
from keel.server.backtests.models import BacktestRun
from keel.server.backtests.work import MAX_DATASET_ROWS
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.backtests.factories import BASE, run, submit


def _rows_csv(count: int) -> bytes:
    """`count` daily bars from 1800-01-01 on (a made-up, valid OHLCV file)."""
    days = pd.date_range("1800-01-01", periods=count, freq="D")
    frame = pd.DataFrame(
        {"Open": 1.0, "High": 2.0, "Low": 0.5, "Close": 1.5, "Volume": 10.0}, index=days
    )
    return frame.to_csv(index_label="Date").encode()


PROBLEM = "/problems/"


async def test_a_job_past_its_time_or_memory_fails_with_its_reason_and_the_server_stays_up(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    jobs = get_jobs(runtime)
    normal = jobs.limits
    # The most rows an upload may have: reading and replaying them takes far longer than
    # 0.05 s (ten years of SPX would not: the fast loop replays them in milliseconds), and a
    # few frames of them need far more than 1 MiB.
    # (Put in the store directly: uploading 7 MB through the API would only slow the test.)
    big = _rows_csv(MAX_DATASET_ROWS - 1)  # the header is a line too
    await get_object_store(runtime).put(dataset_key(user.id, "big.csv"), big, "text/csv")
    jobs.limits = replace(normal, time_seconds=0.05)
    slow = await run(client, user, dataset="big.csv")
    assert slow["status"] == "failed" and "longer than the 0.05 seconds" in slow["error"], slow
    jobs.limits = replace(normal, memory_mb=1)
    greedy = await run(client, user, dataset="big.csv")
    assert greedy["status"] == "failed" and "more memory than the 1 MiB" in greedy["error"]
    assert greedy["stats"] is None

    jobs.limits = normal
    assert (await client.get("/api/v1/me", headers=user.headers)).status_code == 200
    fine = await run(client, user)
    assert fine["status"] == "succeeded", fine
    assert await get_object_store(runtime).list(f"backtests/{user.id}/{slow['id']}") == []


async def test_a_full_quota_refuses_uploads_and_new_jobs(
    client: AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await create_user(client)
    first = b"Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n2020-01-02,2,2,2,2\n"
    monkeypatch.setattr(runtime.settings, "backtest_storage_quota_mb", len(first) * 1.5 / 2**20)
    stored = await client.put(f"{BASE}/datasets/a.csv", content=first, headers=user.headers)
    assert stored.status_code == 201, stored.text
    # Replacing the same file counts its new size only.
    again = await client.put(f"{BASE}/datasets/a.csv", content=first, headers=user.headers)
    assert again.status_code == 201, again.text
    refused = await client.put(f"{BASE}/datasets/b.csv", content=first, headers=user.headers)
    assert refused.status_code == 413, refused.text
    problem = refused.json()
    assert problem["type"] == PROBLEM + "storage-quota-exceeded"
    assert problem["figures"]["used_bytes"] == len(first)
    assert (await client.get(problem["type"])).status_code == 200

    monkeypatch.setattr(runtime.settings, "backtest_storage_quota_mb", len(first) / 2**20)
    full = await submit(client, user)
    assert full.status_code == 413 and full.json()["type"] == PROBLEM + "storage-quota-exceeded"
    deleted = await client.delete(f"{BASE}/datasets/a.csv", headers=user.headers)
    assert deleted.status_code == 204
    assert (await client.delete(f"{BASE}/datasets/a.csv", headers=user.headers)).status_code == 404
    assert (await submit(client, user)).status_code == 202


async def test_old_reports_are_deleted_after_the_retention_period(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    old, recent = await run(client, user), await run(client, user)
    assert old["status"] == recent["status"] == "succeeded"
    jobs = get_jobs(runtime)
    long_ago = runtime.clock.now() - timedelta(days=jobs.limits.retention_days + 1)
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(
            update(BacktestRun).where(BacktestRun.id == old["id"]).values(finished_at=long_ago)
        )
    assert await jobs.expire() == 1
    assert (await client.get(f"{BASE}/{old['id']}", headers=user.headers)).status_code == 404
    assert (await client.get(f"{BASE}/{recent['id']}", headers=user.headers)).status_code == 200
    store = get_object_store(runtime)
    assert await store.list(f"backtests/{user.id}/{old['id']}") == []
    assert len(await store.list(f"backtests/{user.id}/{recent['id']}")) == 2
