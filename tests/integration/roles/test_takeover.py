"""Leader election: two `--role engine` processes on one PostgreSQL database; one leads, the other
waits on the advisory lock and takes over when the leader is killed (SIGKILL, no cleanup)."""

from __future__ import annotations

import json

import psycopg
import pytest
import redis

from keel.server.roles import ENGINE_LOCK_KEY
from tests.integration.roles.conftest import sync_dsn
from tests.integration.roles.processes import cluster_of, wait_for

pytestmark = pytest.mark.slow


def lock_holders(database_url: str) -> tuple[set[int], int]:
    """(pids holding the engine lock, count of sessions waiting for it) in the test database."""
    query = """
        SELECT l.pid, l.granted FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()
          AND ((l.classid::bigint << 32) | l.objid::bigint) = %s
    """
    with psycopg.connect(sync_dsn(database_url), autocommit=True) as connection:
        rows = connection.execute(query, (ENGINE_LOCK_KEY,)).fetchall()
    return {pid for pid, granted in rows if granted}, sum(1 for _, granted in rows if not granted)


def engine_state(redis_url: str, namespace: str) -> dict[str, object] | None:
    client = redis.Redis.from_url(redis_url)
    try:
        text = client.get(f"{namespace}:engine:state")
    finally:
        client.close()
    return None if text is None else dict(json.loads(text))


def test_a_standby_engine_takes_over_when_the_leader_dies(
    roles_database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("takeover")
    with cluster_of(roles_database, redis_url, root) as cluster:
        leader = cluster.start("engine")
        leader.wait_ready()
        first = engine_state(redis_url, cluster.namespace)
        assert first is not None and str(first["leader"]).endswith(f":{leader.popen.pid}")

        standby = cluster.start("engine")
        # The standby blocks on the lock (visible in pg_locks) and serves nothing meanwhile.
        wait_for(
            lambda: lock_holders(roles_database)[1] == 1,
            60,
            lambda: f"the standby never waited on the lock:\n{standby.log_tail()}",
        )
        assert len(lock_holders(roles_database)[0]) == 1
        assert not standby.ready()

        leader.kill()
        standby.wait_ready()
        holders, waiting = lock_holders(roles_database)
        assert len(holders) == 1 and waiting == 0
        second = engine_state(redis_url, cluster.namespace)
        assert second is not None and str(second["leader"]).endswith(f":{standby.popen.pid}")
        assert float(str(second["generation"])) > float(str(first["generation"]))
