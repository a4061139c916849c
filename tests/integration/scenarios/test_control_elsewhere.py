"""Clock changes made outside the engine's process (`keel scenarios`, another replica) reach the
engine through the stored scenario row."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from keel.cli import _register_commands, app
from keel.domain.clock import WallClock
from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from keel.server.scenarios.control import Actor, ClockChange, record_change
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.settings import get_settings
from tests.integration.auth.factories import runtime_with


async def test_the_engine_applies_a_change_stored_by_someone_else(runtime: Runtime) -> None:
    live = runtime.scenarios[DEFAULT_SCENARIO_ID]
    day = live.feed.market_date
    async with runtime.sessionmaker.begin() as session:
        await record_change(
            session,
            DEFAULT_SCENARIO_ID,
            ClockChange(paused=True, seconds_per_day=30, skip_days=1),
            actor=Actor("keel scenarios"),
            live_position=None,
            now=WallClock().now(),
        )
    # What the engine's supervisor does once a second (called here rather than waited for).
    assert runtime.scenario_supervisor is not None
    await runtime.scenario_supervisor.reconcile()
    # The runtime's own supervisor may have taken the change first and still be stepping through
    # the skipped day: wait for the skip to land (a condition, not a timing).
    target = live.feed.calendar.index(day) + 1
    for _ in range(200):
        if live.feed.calendar.index(live.feed.market_date) == target:
            break
        await asyncio.sleep(0.05)
    assert live.feed.paused and live.feed.seconds_per_day == 30
    assert live.feed.calendar.index(live.feed.market_date) == target


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_keel_scenarios_pauses_and_the_next_start_stays_paused(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEEL_DATABASE_URL", database_url)
    monkeypatch.setenv("KEEL_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("KEEL_ENVIRONMENT", "test")
    get_settings.cache_clear()
    _register_commands()
    runner = CliRunner()
    try:
        asyncio.run(_start_and_stop(database_url, tmp_path))
        paused = runner.invoke(app, ["scenarios", "pause"])
        assert paused.exit_code == 0, paused.output
        assert "paused" in paused.output
        too_fast = runner.invoke(app, ["scenarios", "speed", "0.01"])
        assert too_fast.exit_code == 1 and "0.5 seconds" in too_fast.output
        listed = runner.invoke(app, ["scenarios", "list"])
        assert "default" in listed.output and "paused" in listed.output
    finally:
        get_settings.cache_clear()
    assert asyncio.run(_paused_after_start(database_url, tmp_path))


async def _start_and_stop(database_url: str, var: Path) -> None:
    async with runtime_with(database_url, var):
        pass


async def _paused_after_start(database_url: str, var: Path) -> bool:
    async with runtime_with(database_url, var, empty=False) as runtime:
        return get_feed(runtime).paused
