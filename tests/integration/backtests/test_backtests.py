"""Backtests as server jobs: submit, poll, results equal the core's, report, trades, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from keel.backtest.export import result_to_dict
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import BUILTIN, SmaCross
from keel.market.datasets import load_bundled
from keel.server.pubsub import get_pubsub
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.backtests.factories import BASE, run, submit, wait_finished


async def test_strategies_list_every_builtin_with_declared_params(client: AsyncClient) -> None:
    response = await client.get(f"{BASE}/strategies")
    assert response.status_code == 200
    listed = {item["name"]: item for item in response.json()}
    assert set(listed) == set(BUILTIN)
    sma = {param["name"]: param for param in listed["sma-cross"]["params"]}
    assert set(sma) == set(SmaCross.params)
    for name, spec in SmaCross.params.items():
        assert sma[name]["default"] == spec.default
        assert sma[name]["type"] == "int"
        assert (sma[name]["low"], sma[name]["high"]) == (spec.low, spec.high)


async def test_sma_cross_on_goog_gives_the_core_figures_report_and_trades(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    messages: list[dict[str, Any]] = []
    remove = get_pubsub(runtime).add_listener(
        lambda channel, message: (
            messages.append(message) if channel == f"notifications:{user.id}" else None
        )
    )
    body = {
        "symbol": "goog",
        "strategy": "sma-cross",
        "params": {"fast": 10, "slow": 30},
        "cash": "10000",
        "commission": 0.0,
        "sizing": "all-in",
        "fill": "next-open",
        "long_short": True,
    }
    response = await client.post(BASE, json=body, headers=user.headers)
    assert response.status_code == 202, response.text
    queued = response.json()
    assert queued["status"] in {"queued", "running"} and queued["progress"] < 1
    job = await wait_finished(client, user, queued["id"])
    remove()
    assert job["status"] == "succeeded", job
    assert job["progress"] == 1.0 and job["error"] is None

    # The default replay stands at 2008-09-02: the job stops the day before (finding 11).
    assert job["request"]["to"] == "2008-09-01" and "GOOG" in job["note"]
    expected = result_to_dict(
        run_backtest(
            load_bundled("GOOG").loc[:"2008-09-01"],
            SmaCross,
            {"fast": 10, "slow": 30},
            ExecutionSettings(cash=10_000.0, long_short=True),
        )
    )
    assert job["stats"] == expected["stats"]
    assert job["trade_count"] == len(expected["trades"]) > 0
    assert job["final_equity"] == expected["stats"]["final_equity"]
    assert job["request"]["symbol"] == "GOOG"
    assert job["started_at"] <= job["finished_at"] and job["duration_seconds"] >= 0

    trades = await client.get(f"{BASE}/{job['id']}/trades", headers=user.headers)
    assert trades.status_code == 200
    assert trades.json() == expected["trades"]

    report = await client.get(f"{BASE}/{job['id']}/report", headers=user.headers)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert report.text.lstrip().lower().startswith("<!doctype html")
    assert "<svg" in report.text and "sma-cross on GOOG" in report.text
    assert "sandbox allow-scripts" in report.headers["content-security-policy"]

    seen = [m["backtest"] for m in messages if m.get("type") == "backtest"]
    assert [m["status"] for m in seen if m["id"] == job["id"]][-1] == "succeeded"
    assert {m["status"] for m in seen} >= {"queued", "running", "succeeded"}
    progress = [m["progress"] for m in seen if m["status"] == "running"]
    assert progress == sorted(progress)


async def test_list_is_the_callers_newest_first_and_paginated(client: AsyncClient) -> None:
    user = await create_user(client)
    other = await create_user(client)
    ids = [(await run(client, user, strategy=name))["id"] for name in ("sma-cross", "momentum")]
    await run(client, other)
    listed = (await client.get(BASE, headers=user.headers)).json()
    assert [item["id"] for item in listed] == list(reversed(ids))
    assert all(item["status"] == "succeeded" for item in listed)
    page = await client.get(f"{BASE}?limit=1&offset=1", headers=user.headers)
    assert [item["id"] for item in page.json()] == [ids[0]]
    failed_only = await client.get(f"{BASE}?status=failed", headers=user.headers)
    assert failed_only.json() == []


BAD_REQUESTS: list[tuple[dict[str, Any], str, list[str] | None]] = [
    ({"symbol": "NOPE"}, "symbol", ["SPX", "IXIC", "GOOG", "EURUSD"]),
    ({"symbol": "VIX"}, "symbol", ["SPX", "IXIC", "GOOG", "EURUSD"]),
    ({"strategy": "moon-shot"}, "strategy", list(BUILTIN)),
    ({"strategy": "sma-cross", "params": {"fastest": 3}}, "params.fastest", ["fast", "slow"]),
    ({"params": {"fast": 2.5}}, "params.fast", None),
    ({"params": {"slow": 100000}}, "params.slow", None),
    ({"cash": "0"}, "cash", None),
    ({"cash": "99999999999"}, "cash", None),
    ({"commission": 0.5}, "commission", None),
    ({"from": "2012-01-01", "to": "2011-01-01"}, "to", None),
    ({"from": "2030-01-01", "to": "2031-01-01"}, "from", None),
    ({"sizing": "everything"}, "sizing", None),
    ({"dataset": "x.csv", "symbol": "GOOG"}, "symbol", None),
    ({"dataset": "../../etc/passwd"}, "dataset", None),
    ({"dataset": "missing.csv"}, "dataset", []),
    ({"surprise": 1}, "surprise", None),
]


@pytest.mark.parametrize(("change", "field", "choices"), BAD_REQUESTS)
async def test_bad_requests_are_422_problems_naming_the_field(
    client: AsyncClient, change: dict[str, Any], field: str, choices: list[str] | None
) -> None:
    user = await create_user(client)
    response = await submit(client, user, **change)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    locations = [".".join(str(p) for p in error["loc"][1:]) for error in problem["errors"]]
    assert field in locations or problem["detail"].startswith(field), problem
    if choices is not None:
        assert problem["choices"] == choices
    assert (await client.get(BASE, headers=user.headers)).json() == []


async def test_another_users_backtest_is_404_everywhere(client: AsyncClient) -> None:
    owner = await create_user(client)
    stranger = await create_user(client)
    job = await run(client, owner)
    for method, suffix in [("GET", ""), ("GET", "/trades"), ("GET", "/report"), ("DELETE", "")]:
        response = await client.request(
            method, f"{BASE}/{job['id']}{suffix}", headers=stranger.headers
        )
        assert response.status_code == 404, (method, suffix, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{BASE}/{job['id']}", headers=owner.headers)).status_code == 200
    assert (await client.get(BASE)).status_code == 401


async def test_results_of_an_unfinished_or_finished_job_answer_409(client: AsyncClient) -> None:
    user = await create_user(client)
    job = await run(client, user)
    response = await client.delete(f"{BASE}/{job['id']}", headers=user.headers)
    assert response.status_code == 409
    assert response.json()["backtest_status"] == "succeeded"
