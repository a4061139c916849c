"""Leader election: two `--role engine` processes on one PostgreSQL database; one leads, the other
waits on the advisory lock and takes over when the leader is killed (SIGKILL, no cleanup); an
admin halt made under the dead leader still holds under the new one."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
import psycopg
import pytest
import redis

from keel.server.roles import ENGINE_LOCK_KEY
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.ownership import scenario_lock_key
from tests.integration.roles.conftest import sync_dsn
from tests.integration.roles.processes import (
    admin_on,
    cluster_of,
    learner,
    market_buy,
    wait_for,
)

pytestmark = pytest.mark.slow


def lock_holders(database_url: str, key: int = ENGINE_LOCK_KEY) -> tuple[set[int], int]:
    """(pids holding the lock `key`, count of sessions waiting for it) in the test database."""
    query = """
        SELECT l.pid, l.granted FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()
          AND ((l.classid::bigint << 32) | l.objid::bigint) = %s
    """
    with psycopg.connect(sync_dsn(database_url), autocommit=True) as connection:
        rows = connection.execute(query, (key,)).fetchall()
    return {pid for pid, granted in rows if granted}, sum(1 for _, granted in rows if not granted)


def engine_state(redis_url: str, namespace: str) -> dict[str, Any] | None:
    client = redis.Redis.from_url(redis_url)
    try:
        text = client.get(f"{namespace}:engine:state")
    finally:
        client.close()
    return None if text is None else dict(json.loads(text))


def goog_pinned(state: dict[str, Any] | None) -> bool:
    return state is not None and bool(state["symbol_breakers"]["GOOG"]["pinned"])


def test_a_standby_engine_takes_over_when_the_leader_dies(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("takeover")
    with cluster_of(roles_database, redis_url, root) as cluster:
        leader = cluster.start("engine")
        leader.wait_ready()
        first = engine_state(redis_url, cluster.namespace)
        assert first is not None and str(first["leader"]).endswith(f":{leader.popen.pid}")
        with leader.client() as on_leader:
            admin = admin_on(on_leader, roles_database)
            halted = on_leader.post(
                "/api/v1/admin/breakers/halt",
                json={"scope": "symbol", "symbol": "GOOG", "reason": "takeover drill"},
                headers=admin,
            )
            assert halted.status_code in (200, 201), halted.text
        wait_for(
            lambda: goog_pinned(engine_state(redis_url, cluster.namespace)),
            15,
            lambda: "the halt never reached the shared engine state",
        )

        standby = cluster.start("engine")
        # The standby blocks on the lock (visible in pg_locks) and serves no API meanwhile...
        wait_for(
            lambda: lock_holders(roles_database)[1] == 1,
            60,
            lambda: f"the standby never waited on the lock:\n{standby.log_tail()}",
        )
        assert len(lock_holders(roles_database)[0]) == 1
        assert not standby.ready()
        # ... but answers liveness (a probe must not restart it) and refuses readiness.
        alive = httpx.get(f"{standby.base}/healthz", timeout=2)
        assert alive.status_code == 200 and alive.json()["status"] == "standby"
        assert httpx.get(f"{standby.base}/readyz", timeout=2).status_code == 503
        scraped = httpx.get(f"{standby.base}/metrics", timeout=2).text
        assert "keel_engine_leader 0.0" in scraped  # Prometheus sees a standby, not a gap
        assert "keel_engine_leader 1.0" in httpx.get(f"{leader.base}/metrics", timeout=2).text

        leader.kill()
        standby.wait_ready()
        holders, waiting = lock_holders(roles_database)
        assert len(holders) == 1 and waiting == 0
        # The new leader runs the default scenario under its own lock too (and no one else does).
        default_lock = scenario_lock_key(DEFAULT_SCENARIO_ID)
        assert len(lock_holders(roles_database, default_lock)[0]) == 1
        second = engine_state(redis_url, cluster.namespace)
        assert second is not None and str(second["leader"]).endswith(f":{standby.popen.pid}")
        assert float(str(second["generation"])) > float(str(first["generation"]))
        with standby.client() as on_new_leader:
            listed = on_new_leader.get("/api/v1/breakers", headers=admin).json()["breakers"]
        goog = next(b for b in listed if b["key"] == "GOOG")
        assert (goog["level"], goog["pinned"]) == ("CLOSED", True)
        assert "takeover drill" in goog["reason"]
        market = next(b for b in listed if b["key"] == "market")
        assert not market["pinned"]  # only what an admin halted is carried over


def test_market_time_and_positions_continue_across_a_takeover(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("takeover-clock")
    running = {"KEEL_REPLAY_AUTOSTART": "true", "KEEL_REPLAY_SECONDS_PER_DAY": "3"}
    with cluster_of(roles_database, redis_url, root) as cluster:
        leader = cluster.start("engine", **running)
        leader.wait_ready()
        with leader.client() as on_leader:
            headers, account_id = learner(on_leader)
            bought = market_buy(on_leader, headers, account_id, "SPX", "2")
            assert bought.status_code == 201, bought.text
            order = on_leader.get(f"/api/v1/orders/{bought.json()['id']}", headers=headers).json()
            events = order["events"]
        filled_at = datetime.fromisoformat(events[-1]["time"])
        standby = cluster.start("engine", **running)
        wait_for(
            lambda: lock_holders(roles_database)[1] == 1,
            60,
            lambda: f"the standby never waited on the lock:\n{standby.log_tail()}",
        )
        leader.kill()  # no clean stop: the clock may not have been stored since the fill
        standby.wait_ready()
        state = engine_state(redis_url, cluster.namespace)
        assert state is not None and str(state["leader"]).endswith(f":{standby.popen.pid}")
        resumed_at = datetime.fromisoformat(str(state["market_time"]))
        assert resumed_at >= filled_at  # no market time repeats under the fill
        assert resumed_at.year == 2008
        with standby.client() as on_new_leader:
            account = on_new_leader.get(f"/api/v1/accounts/{account_id}", headers=headers)
        assert [p["symbol"] for p in account.json()["positions"]] == ["SPX"]
