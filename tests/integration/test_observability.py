"""What operators see: `/metrics` only for Prometheus (a token, or loopback without one), the
gauges read off the runtime, W3C `traceparent` in the logs, and request ids carried into the
order desk's batches (which run outside any request)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.backtests.factories import BASE, SHORT_GOOG, wait_finished
from tests.integration.conftest import _empty_tables, make_settings
from tests.integration.orders.factories import open_account, place

TOKEN = "scrape-token-for-the-tests-0123456789"  # pragma: allowlist secret
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def records(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    return [
        record.msg
        for record in caplog.records
        if isinstance(record.msg, dict) and record.msg.get("event") == event
    ]


@pytest.fixture
async def tokened(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Runtime]:
    settings = make_settings(database_url, tmp_path_factory.mktemp("var"), metrics_token=TOKEN)
    runtime = Runtime.build(settings)
    await _empty_tables(runtime)
    await runtime.start()
    yield runtime
    await runtime.stop()


def from_address(runtime: Runtime, host: str) -> AsyncClient:
    transport = ASGITransport(app=create_app(runtime=runtime), client=(host, 40000))
    return AsyncClient(transport=transport, base_url="http://test")


async def test_metrics_answer_loopback_only_when_no_token_is_set(runtime: Runtime) -> None:
    async with from_address(runtime, "127.0.0.1") as local:
        scraped = await local.get("/metrics")
    assert scraped.status_code == 200
    assert "keel_engine_leader 1.0" in scraped.text  # an `all` process runs the market
    assert "keel_backtest_jobs_active 0.0" in scraped.text
    async with from_address(runtime, "203.0.113.9") as outsider:
        refused = await outsider.get("/metrics")
    assert refused.status_code == 404 and "keel_" not in refused.text


async def test_metrics_want_the_bearer_token_when_one_is_set(tokened: Runtime) -> None:
    async with from_address(tokened, "10.0.0.7") as prometheus:
        assert (await prometheus.get("/metrics")).status_code == 404
        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await prometheus.get("/metrics", headers=wrong)).status_code == 404
        right = {"Authorization": f"Bearer {TOKEN}"}
        scraped = await prometheus.get("/metrics", headers=right)
    assert scraped.status_code == 200 and "keel_http_request_duration_seconds" in scraped.text
    async with from_address(tokened, "127.0.0.1") as local:
        assert (await local.get("/metrics")).status_code == 404  # the token binds loopback too


@pytest.mark.parametrize(
    ("header", "logged"),
    [
        (f"00-{TRACE_ID}-00f067aa0ba902b7-01", {"trace_id": TRACE_ID,
                                                "parent_span_id": "00f067aa0ba902b7"}),
        (f"ff-{TRACE_ID}-00f067aa0ba902b7-01", {}),  # version ff is invalid
        (f"00-{'0' * 32}-00f067aa0ba902b7-01", {}),  # an all-zero trace id is invalid
        ("00-xyz-00f067aa0ba902b7-01", {}),
    ],
)  # fmt: skip
async def test_a_traceparent_is_logged_with_the_request(
    client: AsyncClient, caplog: pytest.LogCaptureFixture, header: str, logged: dict[str, str]
) -> None:
    caplog.set_level(logging.INFO, logger="keel.http")
    response = await client.get("/healthz", headers={"traceparent": header, "X-Request-ID": "r-1"})
    assert response.status_code == 200
    (line,) = [r for r in records(caplog, "request") if r.get("request_id") == "r-1"]
    assert {key: line[key] for key in ("trace_id", "parent_span_id") if key in line} == logged


async def test_an_unsafe_request_id_is_replaced(client: AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "evil\\nline"})
    assert response.headers["x-request-id"] != "evil\\nline"
    assert len(response.headers["x-request-id"]) == 32


async def test_an_order_batch_logs_the_request_ids_of_its_orders(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    users = [await create_user(client) for _ in range(3)]
    accounts = [(await open_account(client, user))["id"] for user in users]
    caplog.set_level(logging.DEBUG, logger="keel.server.orders.desk")

    async def order(index: int) -> int:
        client.headers["X-Request-ID"] = f"order-{index}"  # read when the request is built
        response = await place(client, users[index], accounts[index], quantity="0.01")
        return response.status_code

    statuses = await asyncio.gather(*(order(i) for i in range(3)))
    client.headers.pop("X-Request-ID", None)
    assert statuses == [201, 201, 201]
    batches = records(caplog, "order batch")
    carried = sorted(rid for batch in batches for rid in batch["request_ids"])
    assert carried == ["order-0", "order-1", "order-2"]
    # The desk outlives the request that started it: its lines never carry one request's id.
    assert all("request_id" not in batch for batch in batches)


async def test_a_backtest_job_logs_the_id_of_the_request_that_submitted_it(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    user = await create_user(client)
    caplog.set_level(logging.INFO, logger="keel.server.backtests.jobs")
    submitted = await client.post(
        BASE, json=SHORT_GOOG, headers={**user.headers, "X-Request-ID": "submit-1"}
    )
    assert submitted.status_code == 202, submitted.text
    await wait_finished(client, user, submitted.json()["id"])
    (started,) = records(caplog, "backtest started")
    assert started["run_id"] == submitted.json()["id"]
    assert started["request_id"] == "submit-1"
