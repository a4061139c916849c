"""Scenario clocks: stored, resumed after a restart, paused, sped up and skipped by an admin."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from httpx import AsyncClient
from sqlalchemy import update

from keel.market.bars import SESSION_TZ
from keel.server.market.component import get_feed
from keel.server.pubsub import get_pubsub
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID, ScenarioRow
from tests.integration.auth.factories import create_user, http_client, runtime_with
from tests.integration.breakers.factories import create_admin
from tests.integration.orders.factories import open_account, place

CLOCK = f"/api/v1/scenarios/{DEFAULT_SCENARIO_ID}/clock"


async def test_the_default_scenario_is_listed_with_its_clock(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    response = await client.get("/api/v1/scenarios", headers=user.headers)
    assert response.status_code == 200, response.text
    (scenario,) = response.json()
    assert scenario["id"] == DEFAULT_SCENARIO_ID
    assert scenario["start_date"] == "2008-09-01"
    assert scenario["starting_cash"] == "100000.00"  # money as people write it, never 1E+5
    feed = get_feed(runtime)
    assert scenario["clock"]["market_time"] == feed.market_time.isoformat().replace("+00:00", "Z")
    assert scenario["clock"]["running_here"] is True and scenario["clock"]["paused"] is False


async def test_pause_resume_and_speed_are_admin_only_audited_and_published(
    client: AsyncClient, runtime: Runtime
) -> None:
    learner = await create_user(client)
    admin = await create_admin(client, runtime)
    refused = await client.patch(CLOCK, json={"paused": True}, headers=learner.headers)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")

    seen: list[dict[str, object]] = []
    channel = f"scenario:{DEFAULT_SCENARIO_ID}"
    get_pubsub(runtime).add_listener(lambda _, message: seen.append(message), channel.__eq__)

    paused = await client.patch(CLOCK, json={"paused": True}, headers=admin.headers)
    assert paused.status_code == 200, paused.text
    feed = get_feed(runtime)
    assert paused.json()["clock"]["paused"] is True and feed.paused

    faster = await client.patch(
        CLOCK, json={"paused": False, "seconds_per_day": 2}, headers=admin.headers
    )
    assert faster.status_code == 200, faster.text
    assert not feed.paused and feed.seconds_per_day == 2.0

    bad = await client.patch(CLOCK, json={"seconds_per_day": 0.01}, headers=admin.headers)
    assert bad.status_code == 422
    assert bad.json()["type"].endswith("invalid-speed")

    events = await client.get(
        f"/api/v1/scenarios/{DEFAULT_SCENARIO_ID}/events", headers=admin.headers
    )
    assert events.status_code == 200
    actions = [(e["action"], e["actor"]) for e in reversed(events.json())]
    assert actions == [
        ("paused", admin.email),
        ("resumed", admin.email),
        ("speed", admin.email),
    ]
    assert [m["paused"] for m in seen] == [True, False]


async def test_skip_publishes_every_instant_up_to_the_target(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    feed = get_feed(runtime)
    first_day = feed.market_date
    steps: list[datetime] = []

    async def listener(quotes: list[object]) -> None:
        steps.append(feed.market_time)  # type: ignore[arg-type]

    feed.add_step_listener(listener)
    response = await client.post(f"{CLOCK}/skip", json={"days": 2}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert feed.calendar.index(feed.market_date) == feed.calendar.index(first_day) + 2
    # Every tick of two days went through the listeners, in order, none twice.
    assert len(steps) == 2 * feed.ticks_per_bar
    assert steps == sorted(set(steps))
    too_far = await client.post(f"{CLOCK}/skip", json={"days": 61}, headers=admin.headers)
    assert too_far.status_code == 422


async def test_a_restart_resumes_the_clock_under_existing_fills(
    database_url: str, tmp_path: Path
) -> None:
    async with runtime_with(database_url, tmp_path) as runtime, http_client(runtime) as client:
        user = await create_user(client)
        account = await open_account(client, user)
        feed = get_feed(runtime)
        await feed.step_days(3)
        bought = await place(client, user, account["id"], quantity="2")
        assert bought.status_code == 201, bought.text
        await feed.step_days(1)
        stopped_at = feed.market_time
        user_id, account_id = user, account["id"]

    async with runtime_with(database_url, tmp_path, empty=False) as runtime:
        feed = get_feed(runtime)
        assert feed.market_time == stopped_at  # resumed exactly, not from 2008-09-01
        await feed.step()
        assert feed.market_time > stopped_at
        async with http_client(runtime) as client:
            state = await client.get(f"/api/v1/accounts/{account_id}", headers=user_id.headers)
            assert state.status_code == 200
            positions = state.json()["positions"]
            assert [Decimal(p["quantity"]) for p in positions] == [Decimal(2)]


async def test_a_crash_before_the_clock_was_stored_never_replays_under_a_fill(
    database_url: str, tmp_path: Path
) -> None:
    async with runtime_with(database_url, tmp_path) as runtime, http_client(runtime) as client:
        user = await create_user(client)
        account = await open_account(client, user)
        feed = get_feed(runtime)
        await feed.step_days(2)
        bought = await place(client, user, account["id"], quantity="1")
        assert bought.status_code == 201, bought.text
        filled_at = feed.market_time

    # As if the process died before its clock keeper stored anything.
    async with (
        runtime_with(database_url, tmp_path, empty=False) as runtime,
        runtime.sessionmaker.begin() as session,
    ):
        await session.execute(update(ScenarioRow).values(position=0.0, market_time=None))
    async with runtime_with(database_url, tmp_path, empty=False) as runtime:
        feed = get_feed(runtime)
        assert feed.market_time is not None and feed.market_time >= filled_at
        await feed.step()
        assert feed.market_time > filled_at
        assert feed.market_time.astimezone(SESSION_TZ).year == 2008
        assert filled_at < datetime(2009, 1, 1, tzinfo=UTC)
