"""Scenarios spread over several engine processes: one PostgreSQL advisory lock per scenario.

Three `keel serve --role engine` processes with `KEEL_ENGINE_MAX_SCENARIOS=1` and two scenarios:
the first engine runs the default, one of the two started after it the other scenario, and the
last runs none (a standby that mirrors both). An order placed on the standby, in the second scenario, fills at its owner's quote.
The second engine is SIGKILLed: the standby takes its scenario over, and its market time goes on
from where it was (never before the fill); the first engine, full, keeps the default.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import psycopg
import pytest

from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.ownership import scenario_lock_key
from tests.integration.roles.conftest import sync_dsn
from tests.integration.roles.processes import (
    KeelProcess,
    admin_on,
    cluster_of,
    learner,
    market_buy,
    wait_for,
)

pytestmark = pytest.mark.slow

SPREAD = {
    "KEEL_ENGINE_MAX_SCENARIOS": "1",
    "KEEL_REPLAY_AUTOSTART": "true",
    "KEEL_REPLAY_SECONDS_PER_DAY": "3",
}


def lock_holders(database_url: str, scenario_id: str) -> list[int]:
    """PostgreSQL backend pids holding the scenario's lock (granted only)."""
    query = """
        SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
          AND ((l.classid::bigint << 32) | l.objid::bigint) = %s
    """
    key = scenario_lock_key(scenario_id)
    with psycopg.connect(sync_dsn(database_url), autocommit=True) as connection:
        return [pid for (pid,) in connection.execute(query, (key,)).fetchall()]


def stored_clock(database_url: str, scenario_id: str) -> tuple[float, datetime | None]:
    with psycopg.connect(sync_dsn(database_url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT position, market_time FROM scenarios WHERE id = %s", (scenario_id,)
        ).fetchone()
    assert row is not None
    return float(row[0]), row[1]


def clock_on(process: KeelProcess, scenario_id: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = httpx.get(
        f"{process.base}/api/v1/scenarios/{scenario_id}", headers=headers, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["clock"])


def runs(process: KeelProcess, scenario_id: str, headers: dict[str, str]) -> bool:
    return bool(clock_on(process, scenario_id, headers)["running_here"])


def test_two_scenarios_spread_over_engines_and_a_standby_takes_one_over(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("spread")
    with cluster_of(roles_database, redis_url, root) as cluster:
        first = cluster.start("engine", **SPREAD)
        first.wait_ready()  # spread engines serve at once: no process-wide lock to wait for
        with first.client() as on_first:
            admin = admin_on(on_first, roles_database)
            created = on_first.post(
                "/api/v1/scenarios",
                json={
                    "name": "Dot-com bust",
                    "start_date": "2001-03-12",
                    "seconds_per_day": 3,
                    "universe": ["SPX", "IXIC"],
                    "breaker_mode": "measure",  # about who runs it, not about breakers
                },
                headers=admin,
            )
        assert created.status_code == 201, created.text
        other = created.json()["id"]
        assert created.json()["clock"]["running_here"] is False  # the first engine is full

        # Two more engines, started together: whichever locks the free scenario first runs it.
        late = [cluster.start("engine", **SPREAD) for _ in range(2)]
        for process in late:
            process.wait_ready()
        second, standby = wait_for(
            lambda: next(
                (pair for pair in (late, late[::-1]) if runs(pair[0], other, admin)), None
            ),
            30,
            lambda: "no engine took the free scenario:\n" + late[0].log_tail(),
        )
        assert runs(first, DEFAULT_SCENARIO_ID, admin) and not runs(first, other, admin)
        assert not runs(second, DEFAULT_SCENARIO_ID, admin)
        assert not any(runs(standby, s, admin) for s in (DEFAULT_SCENARIO_ID, other))
        assert len(lock_holders(roles_database, DEFAULT_SCENARIO_ID)) == 1
        assert len(lock_holders(roles_database, other)) == 1
        assert lock_holders(roles_database, other) != lock_holders(
            roles_database, DEFAULT_SCENARIO_ID
        )

        # An order in the second scenario, placed on the standby (which mirrors it), fills.
        with standby.client() as on_standby:
            wait_for(
                lambda: on_standby.get("/api/v1/quotes", params={"scenario": other}).json(),
                30,
                lambda: f"the standby never mirrored the second market:\n{standby.log_tail()}",
            )
            headers, account_id = learner(on_standby, scenario_id=other)
            bought = market_buy(on_standby, headers, account_id, "SPX", "2")
            assert bought.status_code == 201, bought.text
            assert bought.json()["status"] == "filled"
            order = on_standby.get(f"/api/v1/orders/{bought.json()['id']}", headers=headers)
        filled_at = datetime.fromisoformat(order.json()["events"][-1]["time"])
        assert filled_at.year == 2001
        wait_for(
            lambda: stored_clock(roles_database, other)[1] is not None,
            10,
            lambda: "the second engine never stored its clock",
        )
        stored_before, _ = stored_clock(roles_database, other)
        default_before = clock_on(first, DEFAULT_SCENARIO_ID, admin)["position"]

        second.kill()  # no clean stop: its connections just drop
        wait_for(
            lambda: runs(standby, other, admin),
            60,
            lambda: f"the standby never took the orphaned scenario:\n{standby.log_tail()}",
        )
        resumed = clock_on(standby, other, admin)
        assert datetime.fromisoformat(resumed["market_time"]) >= filled_at
        assert resumed["position"] >= stored_before  # market time went on, never back
        assert resumed["market_date"][:4] == "2001"
        assert len(lock_holders(roles_database, other)) == 1
        # The first engine, full, kept its scenario and never took the orphan; its clock runs.
        assert runs(first, DEFAULT_SCENARIO_ID, admin) and not runs(first, other, admin)
        wait_for(
            lambda: clock_on(first, DEFAULT_SCENARIO_ID, admin)["position"] > default_before,
            30,
            lambda: "the default scenario's clock stopped",
        )
        with first.client() as on_first:
            account = on_first.get(f"/api/v1/accounts/{account_id}", headers=headers)
        assert [p["symbol"] for p in account.json()["positions"]] == ["SPX"]
