"""Scenario sources: the seeded simulator only, and replay of uploaded history, beside the bundled
replay; each refused with a problem that says what to change when it cannot be a market."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from httpx import AsyncClient

from keel.market.bars import SESSION_TZ
from keel.market.simulator import CLASSROOM, simulate_ticker
from keel.server.market.history import query_bars
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.sources import scenario_object_key
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.orders.factories import place

CLASSROOM_SYMBOLS = sorted(ticker.symbol for ticker in CLASSROOM)
SIMULATED_START = "2003-01-02"
UPLOAD_START = date(2021, 1, 4)


async def create(client: AsyncClient, admin: AuthedUser, **fields: Any) -> Any:
    body = {"name": "Source test", "breaker_mode": "measure", **fields}
    return await client.post("/api/v1/scenarios", json=body, headers=admin.headers)


async def account_in(client: AsyncClient, scenario_id: str) -> tuple[AuthedUser, str]:
    learner = await create_user(client)
    opened = await client.post(
        "/api/v1/accounts",
        json={"name": "sources", "scenario_id": scenario_id},
        headers=learner.headers,
    )
    assert opened.status_code == 201, opened.text
    return learner, str(opened.json()["id"])


def daily_csv(days: int, *, start: float = 50.0, seed: int = 3) -> bytes:
    """A plausible daily OHLCV file on business days from UPLOAD_START."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range(UPLOAD_START, periods=days)
    close = start * np.exp(np.cumsum(rng.normal(0, 0.01, days)))
    opens = np.concatenate([[start], close[:-1]])
    frame = pd.DataFrame(
        {
            "Date": dates.strftime("%Y-%m-%d"),
            "Open": opens.round(2),
            "High": (np.maximum(opens, close) * 1.01).round(2),
            "Low": (np.minimum(opens, close) * 0.99).round(2),
            "Close": close.round(2),
            "Volume": 100_000,
        }
    )
    return frame.to_csv(index=False).encode()


async def upload(client: AsyncClient, user: AuthedUser, name: str, data: bytes) -> None:
    answer = await client.put(
        f"/api/v1/backtests/datasets/{name}", content=data, headers=user.headers
    )
    assert answer.status_code == 201, answer.text


async def test_a_simulator_market_trades_the_fictional_tickers_of_its_seed(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    created = await create(client, admin, source="simulator", seed=42, start_date=SIMULATED_START)
    assert created.status_code == 201, created.text
    scenario = created.json()
    assert (scenario["source"], scenario["seed"]) == ("simulator", 42)
    assert scenario["universe"] == CLASSROOM_SYMBOLS
    live = runtime.scenarios[scenario["id"]]
    assert sorted(live.feed.latest_quotes()) == CLASSROOM_SYMBOLS  # no real history in it
    assert live.feed.market_date == date(2003, 1, 2)

    # Its series are the simulator's for seed 42 (not the bundled store's seed-7 classroom).
    acme = next(ticker for ticker in CLASSROOM if ticker.symbol == "ACME")
    assert runtime.market is not None
    bundled = {item.symbol: item for item in runtime.market.instruments}
    expected = simulate_ticker(acme, pd.DatetimeIndex(bundled["SPX"].history.index), 42)
    assert live.feed.instruments["ACME"].history.equals(expected)
    assert not bundled["ACME"].history["Close"].equals(expected["Close"])
    await live.feed.step_days(3)
    bars = await client.get(
        "/api/v1/instruments/ACME/bars",
        params={"scenario": scenario["id"], "start": SIMULATED_START},
        headers=admin.headers,
    )
    assert bars.status_code == 200, bars.text
    closes = [Decimal(bar["close"]) for bar in bars.json()]
    day_one = expected.loc[pd.Timestamp(SIMULATED_START)]
    assert len(closes) == 3 and closes[0] == Decimal(str(day_one["Close"]))

    learner, account_id = await account_in(client, scenario["id"])
    bought = await place(client, learner, account_id, symbol="ACME", quantity="3")
    assert bought.status_code == 201, bought.text
    assert bought.json()["status"] == "filled"
    quote = live.feed.latest_quote("ACME")
    assert quote is not None
    assert quote.ask <= Decimal(bought.json()["average_fill_price"]) < quote.ask * Decimal("1.01")
    real = await place(client, learner, account_id, symbol="SPX", quantity="1")
    assert real.status_code == 422 and real.json()["type"].endswith("/unknown-symbol")

    # A second market from the same seed is the same market; a new one gets its own seed.
    again = await create(client, admin, source="simulator", seed=42, start_date=SIMULATED_START)
    twin = runtime.scenarios[again.json()["id"]]
    assert twin.feed.instruments["ACME"].history.equals(expected)
    fresh = await create(client, admin, source="simulator", start_date=SIMULATED_START)
    assert fresh.status_code == 201 and isinstance(fresh.json()["seed"], int)


async def test_an_uploaded_history_is_replayed_from_the_scenarios_own_copy(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    original = daily_csv(120)
    await upload(client, admin, "dot-com_2001.csv", original)
    created = await create(
        client,
        admin,
        source="upload",
        datasets=["dot-com_2001.csv"],
        start_date=UPLOAD_START.isoformat(),
        starting_cash="5000",
    )
    assert created.status_code == 201, created.text
    scenario = created.json()
    assert (scenario["source"], scenario["universe"]) == ("upload", ["DOTCOM2001"])
    live = runtime.scenarios[scenario["id"]]
    first = pd.read_csv(io.BytesIO(original)).iloc[0]
    quote = live.feed.latest_quote("DOTCOM2001")
    assert quote is not None and quote.time.astimezone(SESSION_TZ).date() == UPLOAD_START
    assert Decimal(str(first["Low"])) <= quote.last <= Decimal(str(first["High"]))

    learner, account_id = await account_in(client, scenario["id"])
    bought = await place(client, learner, account_id, symbol="DOTCOM2001", quantity="10")
    assert bought.status_code == 201, bought.text
    assert bought.json()["status"] == "filled"

    # Uploading another file under the same name leaves the market's copy as it was.
    await upload(client, admin, "dot-com_2001.csv", daily_csv(120, start=900.0, seed=9))
    kept = await get_object_store(runtime).get(scenario_object_key(scenario["id"], "DOTCOM2001"))
    copy = pd.read_parquet(io.BytesIO(kept))
    assert copy["Close"].iloc[0] == pytest.approx(float(first["Close"]))
    assert len(copy) == 120


async def test_sources_that_cannot_be_a_market_are_refused_with_what_to_change(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    await upload(client, admin, "short.csv", daily_csv(10))
    await upload(client, admin, "spx.csv", daily_csv(60))
    await upload(client, admin, "fine.csv", daily_csv(60))
    start = UPLOAD_START.isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {"source": "simulator", "universe": ["SPX"], "start_date": SIMULATED_START},
            "unknown-symbol",
            "ACME",
        ),
        (
            {"source": "replay", "seed": 5, "start_date": SIMULATED_START},
            "validation-error",
            "seed",
        ),
        (
            {"source": "simulator", "datasets": ["fine.csv"], "start_date": SIMULATED_START},
            "validation-error",
            "datasets",
        ),
        ({"source": "upload", "start_date": start}, "invalid-dataset", "at least one"),
        (
            {"source": "upload", "datasets": ["nope.csv"], "start_date": start},
            "unknown-dataset",
            "nope.csv",
        ),
        (
            {"source": "upload", "datasets": ["short.csv"], "start_date": start},
            "invalid-dataset",
            "at least 40",
        ),
        (
            {"source": "upload", "datasets": ["spx.csv"], "start_date": start},
            "invalid-dataset",
            "SPX",
        ),
        (
            {"source": "upload", "datasets": ["fine.csv"], "start_date": "2019-01-02"},
            "invalid-start-date",
            "2021",
        ),
        ({"source": "mystery", "start_date": start}, "validation-error", "source"),
    ]
    for fields, code, named in cases:
        answer = await create(client, admin, **fields)
        assert answer.status_code == 422, (fields, answer.text)
        problem = answer.json()
        assert problem["type"].endswith(f"/{code}"), (fields, problem)
        assert named in str(problem), (fields, problem)
    missing = await create(client, admin, source="upload", datasets=["nope.csv"], start_date=start)
    assert sorted(missing.json()["figures"]["yours"]) == ["fine.csv", "short.csv", "spx.csv"]


async def test_markets_starting_on_one_day_judge_their_own_symbols(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    ids = []
    for fields in (
        {"universe": ["SPX"]},
        {"universe": ["SPX", "IXIC"]},
        {"source": "simulator", "seed": 11},
    ):
        created = await create(client, admin, start_date="2005-06-01", **fields)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    boards = []
    for scenario_id in ids:
        risk = runtime.scenarios[scenario_id].risk
        assert risk is not None
        boards.append(sorted(risk.trackers))
    assert boards == [["SPX"], ["IXIC", "SPX"], CLASSROOM_SYMBOLS]


async def test_a_market_whose_upload_cannot_be_read_leaves_the_others_running(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await create_admin(client, runtime)
    await upload(client, admin, "fine.csv", daily_csv(60))
    broken = await create(
        client, admin, source="upload", datasets=["fine.csv"], start_date=UPLOAD_START.isoformat()
    )
    calm = await create(client, admin, start_date="2005-06-01", universe=["SPX"])
    assert broken.status_code == calm.status_code == 201
    broken_id, calm_id = broken.json()["id"], calm.json()["id"]
    await get_object_store(runtime).delete(scenario_object_key(broken_id, "FINE"))

    # A second process on the same database and object store starts without that one market.
    again = Runtime.build(runtime.settings)
    await again.start()
    try:
        assert broken_id not in again.scenarios
        assert {DEFAULT_SCENARIO_ID, calm_id} <= set(again.scenarios)
        assert again.scenario_supervisor is not None
        await again.scenario_supervisor.reconcile()  # tried again, still refused, nothing raised
        assert broken_id not in again.scenarios
    finally:
        await again.stop()


@pytest.mark.parametrize(
    ("start", "end", "before", "limit"),
    [
        (None, None, date(2008, 9, 15), 30),
        (date(2008, 1, 2), date(2008, 1, 31), None, 500),
        (date(2008, 1, 2), date(2008, 1, 31), date(2008, 1, 15), 5),
        (date(2030, 1, 1), None, None, 10),
    ],
)
async def test_bars_cut_in_memory_equal_the_stores(
    runtime: Runtime, start: date | None, end: date | None, before: date | None, limit: int
) -> None:
    """A scenario's own series (simulated, uploaded) are cut in memory; on a stored one the cut
    gives exactly what the store's DuckDB query gives."""
    assert runtime.market is not None
    stored = next(item for item in runtime.market.instruments if item.symbol == "SPX")
    in_memory = replace(stored, stored=False)
    store = runtime.market.store
    wanted = {"start": start, "end": end, "before": before, "limit": limit}
    bars = query_bars(store, stored, **wanted)
    assert query_bars(store, in_memory, **wanted) == bars
    assert len(bars) == {30: 30, 500: 21, 5: 5, 10: 0}[limit]  # none only past the history
