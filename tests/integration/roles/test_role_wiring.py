"""Role wiring without extra processes: refused configurations, and the engine-state mirror applied
in-process (newest snapshot wins, a stale one is ignored)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from keel.domain.enums import Permission
from keel.server.breakers.startup import get_risk
from keel.server.engine_commands import ReplicaRisk
from keel.server.market.component import get_feed
from keel.server.mirror import STATE_KEY, MirroredFeed
from keel.server.pubsub import get_pubsub
from keel.server.roles import RoleError, check_role, spreads_scenarios
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from tests.integration.conftest import make_settings

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/keel"


@pytest.mark.parametrize(
    ("role", "database_url", "redis_url", "workers", "refusal"),
    [
        ("all", "", None, 1, None),
        ("engine", PG, None, 1, None),
        ("engine", "", None, 1, None),
        ("api", PG, "redis://127.0.0.1:6379/0", 1, None),
        ("api", PG, "redis://127.0.0.1:6379/0", 3, None),
        ("api", "", "redis://127.0.0.1:6379/0", 1, "needs PostgreSQL"),
        ("api", PG, None, 1, "needs Redis"),
        ("engine", PG, "redis://127.0.0.1:6379/0", 2, "runs API replicas only"),
        ("all", "", None, 2, "runs API replicas only"),
        ("worker", PG, None, 1, "unknown role"),
    ],
)
def test_check_role(
    role: str,
    database_url: str,
    redis_url: str | None,
    workers: int,
    refusal: str | None,
    tmp_path: Path,
) -> None:
    settings = make_settings(database_url, tmp_path, role=role, redis_url=redis_url)
    if refusal is None:
        check_role(settings, workers=workers)
    else:
        with pytest.raises(RoleError, match=refusal):
            check_role(settings, workers=workers)


@pytest.mark.parametrize(
    ("database_url", "redis_url", "refusal"),
    [
        (PG, "redis://127.0.0.1:6379/0", None),
        (PG, None, "needs PostgreSQL .* and Redis"),
        ("", "redis://127.0.0.1:6379/0", "needs PostgreSQL .* and Redis"),
    ],
)
def test_spread_engines_need_postgresql_and_redis(
    database_url: str, redis_url: str | None, refusal: str | None, tmp_path: Path
) -> None:
    settings = make_settings(
        database_url, tmp_path, role="engine", redis_url=redis_url, engine_max_scenarios=2
    )
    if refusal is None:
        check_role(settings)
        assert spreads_scenarios(settings)
    else:
        with pytest.raises(RoleError, match=refusal):
            check_role(settings)


def test_keel_serve_refuses_an_api_replica_on_sqlite(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"KEEL_DATABASE_URL", "KEEL_REDIS_URL", "KEEL_ROLE"}
    }
    env["KEEL_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "from keel.cli import main; main()", "serve", "--role", "api"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--role api needs PostgreSQL" in result.stderr
    assert not (tmp_path / "keel.db").exists()  # refused before migrating anything


async def test_a_replica_mirrors_the_newest_engine_state(runtime: Runtime) -> None:
    replica = Runtime.build(runtime.settings.model_copy(update={"role": "api"}))
    await replica.start()
    try:
        feed, risk = get_feed(replica), get_risk(replica)
        assert isinstance(feed, MirroredFeed) and isinstance(risk, ReplicaRisk)
        assert feed.latest_quotes() == {}  # nothing of its own until it hears from an engine
        mirror = replica.scenarios[DEFAULT_SCENARIO_ID].mirror
        assert mirror is not None
        engine_pubsub = get_pubsub(runtime)

        first = await engine_pubsub.get_state(STATE_KEY)
        assert first is not None and mirror.apply(first)
        engine_feed = get_feed(runtime)
        assert feed.latest_quotes() == engine_feed.latest_quotes()
        assert (feed.market_time, feed.market_date) == (
            engine_feed.market_time,
            engine_feed.market_date,
        )

        await engine_feed.step()
        await get_risk(runtime).force(Permission.CLOSED, symbol=None, by="test", reason="halt")
        publisher = runtime.scenarios[DEFAULT_SCENARIO_ID].publisher
        assert publisher is not None
        await publisher.publish()
        newest = await engine_pubsub.get_state(STATE_KEY)
        assert newest is not None and mirror.apply(newest)
        assert risk.board.market.machine.state.level is Permission.CLOSED
        assert risk.board.market.machine.state.pinned
        assert feed.latest_quotes() == engine_feed.latest_quotes()

        assert not mirror.apply(first)  # an older snapshot never rolls the mirror back
        assert risk.board.market.machine.state.level is Permission.CLOSED
    finally:
        await replica.stop()
