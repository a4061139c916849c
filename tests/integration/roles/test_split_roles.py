"""One engine and one API replica as real `keel serve` processes on PostgreSQL and Redis.

The replica is started with a different `KEEL_REPLAY_START` (2010) than the engine (2008): had it
run a replay of its own, its quotes, clock and fills would be 2010's. They are the engine's.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.integration.roles.processes import (
    KeelProcess,
    admin_on,
    cluster_of,
    learner,
    market_buy,
    wait_for,
)

pytestmark = pytest.mark.slow

ENGINE_START = "2008-09-02"
REPLICA_START = "2010-03-01"


@pytest.fixture(scope="module")
def pair(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[KeelProcess, KeelProcess]]:
    """A leading engine and an API replica, both ready, the replica mirroring the engine."""
    with cluster_of(roles_database, redis_url, tmp_path_factory.mktemp("split")) as cluster:
        engine = cluster.start("engine", KEEL_REPLAY_START=ENGINE_START)
        engine.wait_ready()
        replica = cluster.start("api", KEEL_REPLAY_START=REPLICA_START)
        replica.wait_ready()
        yield engine, replica


def clock(process: KeelProcess) -> dict[str, Any]:
    return dict(httpx.get(f"{process.base}/api/v1/market/clock", timeout=10).json())


def breakers(http: httpx.Client, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    listed = http.get("/api/v1/breakers", headers=headers).json()["breakers"]
    return {b["key"]: b for b in listed}


def open_symbol(http: httpx.Client, headers: dict[str, str]) -> str:
    """A tradable symbol whose breaker (and the market's) lets a buy through in full."""
    levels = breakers(http, headers)
    assert levels["market"]["effective_level"] == "OPEN", levels["market"]
    quoted = {q["symbol"] for q in http.get("/api/v1/quotes").json()}
    calm = sorted(s for s, b in levels.items() if s in quoted and b["effective_level"] == "OPEN")
    assert calm, levels
    return calm[0]


def test_the_replica_fills_a_market_order_at_the_engines_latest_quote(
    pair: tuple[KeelProcess, KeelProcess],
) -> None:
    engine, replica = pair
    assert clock(replica) == clock(engine)
    assert clock(replica)["market_date"] == ENGINE_START
    with engine.client() as on_engine, replica.client() as on_replica:
        engine_quotes = {q["symbol"]: q for q in on_engine.get("/api/v1/quotes").json()}
        replica_quotes = {q["symbol"]: q for q in on_replica.get("/api/v1/quotes").json()}
        assert replica_quotes == engine_quotes and engine_quotes
        headers, account_id = learner(on_replica)
        symbol = open_symbol(on_replica, headers)
        quote = on_engine.get(f"/api/v1/instruments/{symbol}/quote").json()

        placed = market_buy(on_replica, headers, account_id, symbol, "1")
        assert placed.status_code == 201, placed.text
        order = placed.json()
        assert order["status"] == "filled"
        replica_price = Decimal(order["average_fill_price"])

        # The same order on the engine itself fills at the same price.
        engine_headers, engine_account = learner(on_engine)
        same = market_buy(on_engine, engine_headers, engine_account, symbol, "1")
        assert same.status_code == 201, same.text
        assert Decimal(same.json()["average_fill_price"]) == replica_price
        # A buy pays the ask (plus the fill model's slippage), never less.
        assert Decimal(quote["ask"]) <= replica_price < Decimal(quote["ask"]) * Decimal("1.01")


def test_an_admin_halt_on_the_engine_refuses_a_buy_on_the_replica(
    pair: tuple[KeelProcess, KeelProcess], roles_database: str
) -> None:
    engine, replica = pair
    with engine.client() as on_engine, replica.client() as on_replica:
        headers, account_id = learner(on_replica)
        symbol = open_symbol(on_replica, headers)
        before = market_buy(on_replica, headers, account_id, symbol, "1")
        assert before.status_code == 201, before.text

        admin_headers = admin_on(on_engine, roles_database)
        halted = on_engine.post(
            "/api/v1/admin/breakers/halt",
            json={"scope": "market", "reason": "role test halt"},
            headers=admin_headers,
        )
        assert halted.status_code in (200, 201), halted.text
        wait_for(
            lambda: breakers(on_replica, headers)["market"]["level"] == "CLOSED",
            15,
            lambda: f"the replica never saw the halt:\n{replica.log_tail()}",
        )
        refused = market_buy(on_replica, headers, account_id, symbol, "1")
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"].endswith("/breaker-closed")

        # A resume sent to the replica is forwarded to the engine and reaches both.
        resumed = on_replica.post(
            "/api/v1/admin/breakers/resume",
            json={"scope": "market", "reason": "role test resume"},
            headers=admin_headers,
        )
        assert resumed.status_code in (200, 201), resumed.text
        assert resumed.json()["to_level"] == "OPEN"
        assert breakers(on_engine, admin_headers)["market"]["level"] == "OPEN"
        assert breakers(on_replica, headers)["market"]["level"] == "OPEN"
        after = market_buy(on_replica, headers, account_id, symbol, "1")
        assert after.status_code == 201, after.text
