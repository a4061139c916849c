"""Two scenarios in one engine: each its own clock, quotes, breakers and fills."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from httpx import AsyncClient

from keel.market.bars import SESSION_TZ
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.orders.factories import place


async def test_two_scenarios_run_side_by_side_and_never_mix(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    created = await client.post(
        "/api/v1/scenarios",
        json={
            "name": "Dot-com bust",
            "start_date": "2001-03-12",
            "universe": ["SPX", "IXIC"],
            "starting_cash": "25000",
            "breaker_mode": "measure",  # this test is about isolation, not about breakers
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    other_id = created.json()["id"]
    assert created.json()["clock"]["running_here"] is True
    assert created.json()["universe"] == ["IXIC", "SPX"]
    assert created.json()["breaker_mode"] == "measure"
    crash, bust = runtime.scenarios[DEFAULT_SCENARIO_ID], runtime.scenarios[other_id]
    assert bust.feed.market_date == date(2001, 3, 12)
    assert crash.feed.market_date is not None and crash.feed.market_date.year == 2008

    learner = await create_user(client)
    opened = await client.post(
        "/api/v1/accounts",
        json={"name": "2001", "scenario_id": other_id},
        headers=learner.headers,
    )
    assert opened.status_code == 201, opened.text
    account = opened.json()
    assert account["scenario_id"] == other_id and Decimal(account["cash"]) == 25000

    # Quotes: each scenario's own, through the API and on their own channels.
    default_spx = await client.get("/api/v1/instruments/SPX/quote", headers=learner.headers)
    other_spx = await client.get(
        "/api/v1/instruments/SPX/quote", params={"scenario": other_id}, headers=learner.headers
    )
    assert default_spx.json()["time"][:4] == "2008" and other_spx.json()["time"][:4] == "2001"
    not_here = await place(client, learner, account["id"], symbol="GOOG", quantity="1")
    assert not_here.status_code == 422 and not_here.json()["type"].endswith("unknown-symbol")

    bought = await place(client, learner, account["id"], symbol="SPX", quantity="2")
    assert bought.status_code == 201, bought.text
    fills = await client.get(f"/api/v1/orders/{bought.json()['id']}", headers=learner.headers)
    fill_price = Decimal(fills.json()["average_fill_price"])
    spx_2001 = bust.feed.latest_quote("SPX")
    crash_spx = crash.feed.latest_quote("SPX")
    assert spx_2001 is not None and crash_spx is not None
    # Filled at 2001's ask plus a little slippage, nowhere near 2008's price.
    assert spx_2001.ask <= fill_price < spx_2001.ask * Decimal("1.001")
    assert abs(crash_spx.ask - fill_price) > 10

    # Breakers and regimes: separate boards, stored under each scenario.
    assert crash.risk is not None and bust.risk is not None
    assert crash.risk.board is not bust.risk.board
    assert bust.risk.mode.value == "measure_only"
    breakers = await client.get(
        "/api/v1/breakers", params={"scenario": other_id}, headers=learner.headers
    )
    assert breakers.status_code == 200, breakers.text
    symbols = {item["key"] for item in breakers.json()["breakers"] if item["scope"] == "symbol"}
    assert symbols == {"IXIC", "SPX"}
    assert breakers.json()["market_time"][:4] == "2001"

    # Pausing one leaves the other running.
    paused = await client.patch(
        f"/api/v1/scenarios/{other_id}/clock", json={"paused": True}, headers=admin.headers
    )
    assert paused.status_code == 200 and bust.feed.paused and not crash.feed.paused
    before = crash.feed.market_time
    await crash.feed.step_days(1)
    assert crash.feed.market_time is not None and before is not None
    assert crash.feed.market_time > before
    assert bust.feed.market_time is not None
    assert bust.feed.market_time.astimezone(SESSION_TZ).date() == date(2001, 3, 12)

    # The default account's world never shows the other's orders or positions.
    default_account = await client.post(
        "/api/v1/accounts", json={"name": "2008"}, headers=learner.headers
    )
    assert default_account.json()["scenario_id"] == DEFAULT_SCENARIO_ID
    state = await client.get(
        f"/api/v1/accounts/{default_account.json()['id']}", headers=learner.headers
    )
    assert state.json()["positions"] == []


async def test_a_scenario_that_cannot_run_is_refused_in_plain_words(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    for body, problem in [
        ({"name": "x", "start_date": "2030-01-01"}, "invalid-start-date"),
        ({"name": "x", "start_date": "2005-01-03", "universe": ["NOPE"]}, "unknown-symbol"),
        ({"name": "x", "start_date": "2005-01-03", "seconds_per_day": 0.01}, "invalid-speed"),
    ]:
        response = await client.post("/api/v1/scenarios", json=body, headers=admin.headers)
        assert response.status_code == 422, response.text
        assert response.json()["type"].endswith(problem)
    learner = await create_user(client)
    refused = await client.post(
        "/api/v1/scenarios", json={"name": "x", "start_date": "2005-01-03"}, headers=learner.headers
    )
    assert refused.status_code == 403


async def test_each_scenario_keeps_its_own_breaker_rules(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    created = await client.post(
        "/api/v1/scenarios",
        json={"name": "Strict", "start_date": "2008-09-01", "universe": ["SPX"]},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    strict = runtime.scenarios[created.json()["id"]]
    default = runtime.scenarios[DEFAULT_SCENARIO_ID]
    assert strict.risk is not None and default.risk is not None
    # The test settings measure only; the new scenario enforces, as it was created to.
    assert (default.risk.mode.value, strict.risk.mode.value) == ("measure_only", "enforce")
