"""An API replica serves every scenario, not only the default: a scenario created after the
replica started (through the replica) is run by the engine and mirrored by the replica; an account
in it places and fills an order through the replica at the engine's quote of that scenario, and an
admin halt of that scenario sent to the replica is applied by the engine and binds on the replica.

Real `keel serve --role engine` and `--role api` processes on PostgreSQL and Redis.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.integration.roles.processes import admin_on, cluster_of, learner, market_buy, wait_for

pytestmark = pytest.mark.slow

SECOND_START = "2005-06-01"
"""A calm month: the second market's breakers are OPEN, so a halt is the only thing to refuse."""


def quotes(http: httpx.Client, scenario_id: str) -> dict[str, Any]:
    answer = http.get("/api/v1/quotes", params={"scenario": scenario_id})
    return {q["symbol"]: q for q in answer.json()} if answer.status_code == 200 else {}


def test_a_replica_serves_a_scenario_created_after_it_started(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("replica-scenarios")
    with cluster_of(roles_database, redis_url, root) as cluster:
        engine = cluster.start("engine")
        engine.wait_ready()
        replica = cluster.start("api")
        replica.wait_ready()
        with engine.client() as on_engine, replica.client() as on_replica:
            admin = admin_on(on_replica, roles_database)
            created = on_replica.post(
                "/api/v1/scenarios",
                json={"name": "Calm 2005", "start_date": SECOND_START, "universe": ["SPX", "IXIC"]},
                headers=admin,
            )
            assert created.status_code == 201, created.text
            scenario_id = created.json()["id"]

            # The engine picks it up (within a second) and the replica mirrors its quotes.
            wait_for(
                lambda: (
                    quotes(on_engine, scenario_id)
                    and quotes(on_replica, scenario_id) == quotes(on_engine, scenario_id)
                ),
                60,
                lambda: f"the replica never mirrored the new market:\n{replica.log_tail()}",
            )
            on_both = [
                http.get(f"/api/v1/scenarios/{scenario_id}", headers=admin).json()["clock"]
                for http in (on_engine, on_replica)
            ]
            assert [clock["running_here"] for clock in on_both] == [True, False]
            assert on_both[0]["market_date"] == on_both[1]["market_date"] == SECOND_START
            assert set(quotes(on_replica, scenario_id)) == {"SPX", "IXIC"}
            default_spx = quotes(on_replica, "default")["SPX"]
            assert default_spx["time"][:4] == "2008"  # the other market, untouched

            headers, account_id = learner(on_replica, scenario_id=scenario_id)
            ask = Decimal(quotes(on_engine, scenario_id)["SPX"]["ask"])
            placed = market_buy(on_replica, headers, account_id, "SPX", "2")
            assert placed.status_code == 201, placed.text
            order = placed.json()
            assert order["status"] == "filled"
            price = Decimal(order["average_fill_price"])
            assert ask <= price < ask * Decimal("1.01")  # the 2005 quote, not 2008's
            events = on_replica.get(f"/api/v1/orders/{order['id']}", headers=headers).json()
            assert {event["time"][:10] for event in events["events"]} == {SECOND_START}

            # A halt of this market sent to the replica runs on the engine and binds here.
            halted = on_replica.post(
                "/api/v1/admin/breakers/halt",
                params={"scenario": scenario_id},
                json={"scope": "market", "reason": "replica scenario drill"},
                headers=admin,
            )
            assert halted.status_code in (200, 201), halted.text
            refused = market_buy(on_replica, headers, account_id, "SPX", "1")
            assert refused.status_code == 422, refused.text
            assert refused.json()["type"].endswith("/breaker-closed")
            on_engine_levels = on_engine.get(
                "/api/v1/breakers", params={"scenario": scenario_id}, headers=admin
            ).json()["breakers"]
            market = next(b for b in on_engine_levels if b["key"] == "market")
            assert (market["level"], market["pinned"]) == ("CLOSED", True)
            default_levels = on_replica.get("/api/v1/breakers", headers=admin).json()["breakers"]
            assert next(b for b in default_levels if b["key"] == "market")["level"] != "CLOSED"
