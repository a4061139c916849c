"""Redis stopped and started again under a running market (a throwaway `redis-server`): the replay
keeps going and publishing, orders fill at the current quote, and `keel check` stays clean."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from keel.server.accounts.invariants import check_all
from keel.server.market.component import get_feed
from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.faults.services import throwaway_redis
from tests.integration.faults.waiting import eventually
from tests.integration.orders.factories import open_account, place

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_redis_outage_leaves_the_market_running(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with throwaway_redis() as redis:
        async with (
            runtime_with(
                database_url,
                tmp_path_factory.mktemp("var"),
                redis_url=redis.url,
                replay_autostart=True,
                replay_seconds_per_day=3.0,
                feed_stale_seconds=2.0,
            ) as runtime,
            http_client(runtime) as client,
        ):
            user = await create_user(client)
            opened = await open_account(client, user)
            feed = get_feed(runtime)
            started = feed.market_time
            assert started is not None

            async def moved_from(moment: object) -> bool:
                return feed.market_time != moment

            await eventually(lambda: moved_from(started), 10, "the market moves")

            redis.stop()
            await asyncio.sleep(2.5)  # longer than the publish timeout and the stale limit
            during_outage = feed.market_time
            redis.start()
            await eventually(
                lambda: moved_from(during_outage), 10, "market time moves after the outage"
            )
            after = feed.market_time
            assert during_outage is not None and after is not None and after > during_outage

            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
            placed = await place(client, user, opened["id"], quantity="1")
            assert placed.status_code == 201, placed.text
            order = placed.json()
            assert order["status"] == "filled"
            fill_price = Decimal(order["average_fill_price"])
            quote = feed.latest_quote("SPX")
            assert quote is not None
            assert abs(fill_price - quote.last) / quote.last < Decimal("0.05")
            async with runtime.sessionmaker() as session:
                report = await check_all(session)
            assert report.clean, report.violations
