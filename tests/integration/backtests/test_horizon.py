"""A backtest never sees past a replayed market's current day (finding 11 of issue 12).

With the default replay at 2008-09-12, a backtest of SPX traded at October–November 2008 prices
before this control; now its range is clamped to 2008-09-11 with a note, or refused when nothing
before that day is left. Uploaded data is the user's own and keeps every bar.
"""

from __future__ import annotations

import io
from datetime import date

from httpx import AsyncClient

from keel.market.datasets import load_bundled
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.backtests.factories import BASE, run, submit

MARKET_DAY = date(2008, 9, 12)


async def _replay_to(runtime: Runtime, day: date) -> None:
    feed = runtime.scenarios[DEFAULT_SCENARIO_ID].feed
    while feed.market_date is not None and feed.market_date < day:
        await feed.skip(1)
    assert feed.market_date == day


async def _every_date(client: AsyncClient, user: AuthedUser, job_id: str) -> list[date]:
    equity = (await client.get(f"{BASE}/{job_id}/equity", headers=user.headers)).json()
    trades = (await client.get(f"{BASE}/{job_id}/trades", headers=user.headers)).json()
    times = [point["time"] for point in equity]
    times += [trade[key] for trade in trades for key in ("entry_time", "exit_time")]
    return [date.fromisoformat(time[:10]) for time in times]


async def test_a_backtest_never_returns_a_bar_after_the_replays_current_day(
    client: AsyncClient, runtime: Runtime
) -> None:
    await _replay_to(runtime, MARKET_DAY)
    user = await create_user(client)
    for body in (
        {"symbol": "SPX", "from": "2008-01-01", "to": "2008-12-31"},
        {
            "symbol": "SPX",
            "from": "2007-06-01",
            "to": None,
        },  # no end: up to the present of the replay
    ):
        job = await run(client, user, **body, params={"fast": 5, "slow": 20})
        assert job["status"] == "succeeded", job
        assert job["request"]["to"] == "2008-09-11"
        assert job["note"] is not None and "12 September 2008" in job["note"]
        assert job["request"]["horizon"] == {
            "scenario_id": DEFAULT_SCENARIO_ID,
            "market_date": "2008-09-12",
        }
        seen = await _every_date(client, user, job["id"])
        assert seen and max(seen) == date(2008, 9, 11)

    # Wholly before the replay's day: as asked, no note.
    before = await run(client, user, symbol="SPX", **{"from": "2007-01-01", "to": "2008-06-30"})
    assert before["status"] == "succeeded" and before["note"] is None
    assert before["request"]["to"] == "2008-06-30"

    # Wholly in the replay's future: refused with a problem that has a page.
    refused = await submit(client, user, symbol="SPX", **{"from": "2008-10-01", "to": "2008-11-30"})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/backtest-beyond-market-time"
    assert problem["figures"]["market_date"] == "2008-09-12"
    page = await client.get(problem["type"])
    assert page.status_code == 200


async def test_the_tightest_of_the_callers_markets_wins_and_a_named_one_counts(
    client: AsyncClient, runtime: Runtime
) -> None:
    await _replay_to(runtime, MARKET_DAY)
    user = await create_user(client)
    named = await submit(client, user, symbol="SPX", scenario="no-such-market")
    assert named.status_code == 422 and named.json()["field"] == "scenario"
    # The default market sets the line for someone whose accounts all trade there.
    opened = await client.post("/api/v1/accounts", json={}, headers=user.headers)
    assert opened.status_code == 201, opened.text
    job = await run(client, user, symbol="GOOG", scenario=DEFAULT_SCENARIO_ID, to=None)
    assert job["status"] == "succeeded" and job["request"]["to"] == "2008-09-11"


async def test_uploaded_data_is_the_users_own_and_keeps_every_bar(
    client: AsyncClient, runtime: Runtime
) -> None:
    await _replay_to(runtime, MARKET_DAY)
    user = await create_user(client)
    buffer = io.StringIO()
    load_bundled("SPX").loc["2008-01-01":"2008-12-31"].to_csv(buffer, index_label="Date")
    uploaded = await client.put(
        f"{BASE}/datasets/spx-2008.csv", content=buffer.getvalue().encode(), headers=user.headers
    )
    assert uploaded.status_code == 201, uploaded.text
    job = await run(client, user, dataset="spx-2008.csv", params={"fast": 5, "slow": 20})
    assert job["status"] == "succeeded" and job["note"] is None, job
    seen = await _every_date(client, user, job["id"])
    assert max(seen) == date(2008, 12, 31)
