"""Quotes that stop moving are never traded on: readiness fails, orders are refused with
`market-data-stale` (nothing stored), and the engine's market-wide breaker trips on stale data.

Two real stalls: the engine's feed blocked inside a step (a step listener that hangs, as a stuck
dependency would), and an API replica whose engine stopped (no more prices through Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient

from keel.domain.quotes import Quote
from keel.server.accounts.invariants import check_all
from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.conftest import make_settings
from tests.integration.faults.waiting import eventually
from tests.integration.orders.factories import account, open_account, place

pytestmark = pytest.mark.slow

FAST_MARKET: dict[str, Any] = {
    "replay_autostart": True,
    "replay_seconds_per_day": 2.0,
    "feed_stale_seconds": 1.0,
}


async def _refused_as_stale(client: AsyncClient, user: Any, account_id: str) -> None:
    cash_before = (await account(client, user, account_id))["cash"]
    refused = await place(client, user, account_id, quantity="1")
    assert refused.status_code == 503, refused.text
    assert refused.json()["type"].endswith("/market-data-stale")
    assert int(refused.headers["retry-after"]) >= 1
    assert (await account(client, user, account_id))["cash"] == cash_before


async def _clean(runtime: Runtime) -> None:
    async with runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_stalled_feed_trips_the_stale_data_breaker_and_refuses_orders(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    overrides = {**FAST_MARKET, "breaker_mode": "enforce"}
    async with (
        runtime_with(database_url, tmp_path_factory.mktemp("var"), **overrides) as runtime,
        http_client(runtime) as client,
    ):
        user = await create_user(client)
        opened = await open_account(client, user)
        feed = get_feed(runtime)
        release = asyncio.Event()

        async def stuck_step(quotes: list[Quote]) -> None:
            await release.wait()  # a dependency of the step that stopped answering

        feed.add_step_listener(stuck_step)

        async def not_ready() -> bool:
            return (await client.get("/readyz")).status_code == 503

        await eventually(not_ready, 15, "/readyz fails while prices are stale")

        async def market_closed_for_stale_data() -> bool:
            listed = (await client.get("/api/v1/breakers", headers=user.headers)).json()
            market = next(b for b in listed["breakers"] if b["key"] == "market")
            return bool(market["effective_level"] == "CLOSED" and market["rule"] == "stale_feed")

        await eventually(market_closed_for_stale_data, 10, "the stale-data breaker trips")
        await _refused_as_stale(client, user, opened["id"])

        frozen_at = feed.market_time
        release.set()

        async def moving_again() -> bool:
            return feed.market_time != frozen_at and (await client.get("/readyz")).is_success

        await eventually(moving_again, 15, "prices flow and readiness returns")
        await _clean(runtime)


@contextlib.asynccontextmanager
async def _engine_and_replica(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, **market: Any
) -> AsyncIterator[tuple[Runtime, Runtime, AsyncClient]]:
    """A running `--role engine` runtime and an API replica mirroring it through Redis, with the
    replica's client; the engine is stopped at the end unless the test stopped it."""
    shared = {**market, "redis_namespace": f"t-{uuid.uuid4().hex[:8]}"}
    engine = Runtime.build(
        make_settings(database_url, tmp_path_factory.mktemp("engine"), role="engine", **shared)
    )
    await engine.start()
    try:
        if not market["replay_autostart"]:
            await get_feed(engine).step()
        async with (
            runtime_with(
                database_url, tmp_path_factory.mktemp("api"), empty=False, role="api", **shared
            ) as replica,
            http_client(replica) as client,
        ):
            yield engine, replica, client
    finally:
        if engine.pubsub is not None:  # not stopped by the test
            await engine.stop()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_replica_refuses_orders_once_its_engine_stops_sending_prices(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    market = {**FAST_MARKET, "redis_url": redis_url}
    async with _engine_and_replica(database_url, tmp_path_factory, **market) as (
        engine,
        replica,
        client,
    ):
        user = await create_user(client)
        opened = await open_account(client, user)
        mirrored = get_feed(replica)
        first = mirrored.market_time

        async def mirrored_moves() -> bool:
            return mirrored.market_time != first

        await eventually(mirrored_moves, 15, "the replica follows the engine's prices")
        filled = await place(client, user, opened["id"], quantity="1")
        assert filled.status_code == 201, filled.text

        await engine.stop()  # the engine is gone: no more prices reach the replica

        async def not_ready() -> bool:
            return (await client.get("/readyz")).status_code == 503

        await eventually(not_ready, 15, "the replica's /readyz fails")
        await _refused_as_stale(client, user, opened["id"])
        positions = (await account(client, user, opened["id"]))["positions"]
        assert [Decimal(p["quantity"]) for p in positions] == [Decimal(1)]
        await _clean(replica)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_replica_trades_on_an_engine_stepped_by_hand_however_long_it_waits(
    database_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An engine whose clock does not run (stepped by hand, as tests and benchmarks do) sends
    prices only when stepped: its replicas must not take that silence for a stall."""
    market = {**FAST_MARKET, "replay_autostart": False, "redis_url": redis_url}
    async with _engine_and_replica(database_url, tmp_path_factory, **market) as (
        _,
        replica,
        client,
    ):
        user = await create_user(client)
        opened = await open_account(client, user)
        await asyncio.sleep(3 * FAST_MARKET["feed_stale_seconds"])  # past the stale limit
        assert get_feed(replica).stale_for() == 0
        filled = await place(client, user, opened["id"], quantity="1")
        assert filled.status_code == 201, filled.text
        assert (await client.get("/readyz")).status_code == 200
        await _clean(replica)
