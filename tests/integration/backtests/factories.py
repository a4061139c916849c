"""Backtest jobs for integration tests: submit through the real API and poll until finished."""

from __future__ import annotations

import asyncio
from typing import Any

from httpx import AsyncClient, Response

from tests.integration.auth.factories import AuthedUser

BASE = "/api/v1/backtests"
FINISHED = {"succeeded", "failed", "cancelled"}
SHORT_GOOG = {"symbol": "GOOG", "from": "2006-01-01", "to": "2006-12-31"}
"""A year of GOOG: enough bars for the default SMA windows, quick to run, and before the default
replay's 2008 (a backtest never sees past a replayed market's current day)."""


async def submit(client: AsyncClient, user: AuthedUser, **body: Any) -> Response:
    payload = {**SHORT_GOOG, **body} if "dataset" not in body else body
    return await client.post(BASE, json=payload, headers=user.headers)


async def wait_finished(
    client: AsyncClient, user: AuthedUser, run_id: str, *, attempts: int = 600
) -> dict[str, Any]:
    """Poll GET /backtests/{id} until the job has finished (bounded: ~30 s)."""
    for _ in range(attempts):
        response = await client.get(f"{BASE}/{run_id}", headers=user.headers)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in FINISHED:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"backtest {run_id} did not finish: {job}")


async def run(client: AsyncClient, user: AuthedUser, **body: Any) -> dict[str, Any]:
    """Submit a backtest and wait for it; returns the finished job."""
    response = await submit(client, user, **body)
    assert response.status_code == 202, response.text
    return await wait_finished(client, user, response.json()["id"])
