"""The engine's step with 1, 5 and 20 active scenarios, next to one scenario's step, same run.

    .venv/bin/python benchmarks/scenario_steps.py [--steps 240] [--database-url URL]

One engine process (`--role all`, on SQLite under a temp folder unless `--database-url`) runs N
created scenarios, each from its own start date with the full universe: every step of every scenario
goes through its feed, its risk runtime (volatility, breakers, stored transitions) and its engine
loop (resting-order matching, day roll-over, closing equity). One *round* steps every scenario
once, one after the other as the engine's event loop would. The peer is one scenario's step
measured in the same run; the target is no super-linear cost: a round of 20 within 20 × that.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from keel.server.logging import configure_logging
from keel.server.market.component import market_data
from keel.server.migrate import upgrade
from keel.server.runtime import Runtime
from keel.server.scenarios.control import Actor
from keel.server.scenarios.launcher import run_scenario
from keel.server.scenarios.live import LiveScenario
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.service import NewScenario, create_scenario
from keel.server.settings import Environment, Settings

COUNTS = (1, 5, 20)
FIRST_START = date(2002, 1, 7)


async def add_scenarios(runtime: Runtime, count: int) -> list[LiveScenario]:
    """`count` scenarios beside the default, each starting 45 days after the previous one."""
    instruments = {item.symbol: item for item in market_data(runtime).instruments}
    lives = []
    for index in range(count):
        spec = NewScenario(
            name=f"bench {index}",
            start_date=FIRST_START + timedelta(days=45 * index),
            seconds_per_day=6.0,
            universe=None,
            starting_cash=Decimal(100_000),
        )
        async with runtime.sessionmaker.begin() as session:
            row = await create_scenario(
                session,
                spec,
                instruments=instruments,
                max_starting_cash=runtime.settings.max_starting_cash,
                actor=Actor("benchmark"),
                now=runtime.clock.now(),
            )
            session.expunge(row)
        live = await run_scenario(runtime, row)
        assert live is not None
        lives.append(live)
    return lives


async def round_seconds(lives: list[LiveScenario], steps: int) -> list[float]:
    """Seconds per round (every scenario stepped once), `steps` rounds."""
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        for live in lives:
            await live.feed.step()
        times.append(time.perf_counter() - started)
    return times


async def main(steps: int, database_url: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="keel-bench-"))
    settings = Settings(environment=Environment.TEST, var_dir=folder, log_level="WARNING",
                        demo_users=False, replay_autostart=False,
                        database_url=database_url)  # fmt: skip
    configure_logging(settings.log_level, json=False)
    runtime = Runtime.build(settings)
    await upgrade(runtime.database)
    await runtime.start()
    try:
        # The default scenario also publishes the engine state for API replicas every step: the
        # rounds use created scenarios only, so every one counted does the same work.
        runtime.scenarios[DEFAULT_SCENARIO_ID].feed.pause()
        lives = await add_scenarios(runtime, max(COUNTS))
        await round_seconds(lives, 20)  # warm-up: caches, first bars
        print(f"{'scenarios':>10} {'round p50':>12} {'per scenario':>14} {'vs N × one':>11}")
        one = None
        for count in COUNTS:
            times = await round_seconds(lives[:count], steps)
            p50 = statistics.median(times)
            if one is None:
                one = p50
            ratio = p50 / (count * one)
            print(f"{count:>10} {p50 * 1e3:>9.2f} ms {p50 / count * 1e3:>11.2f} ms {ratio:>10.2f}×")
        print(f"peer: one scenario's step, same run: {one * 1e3:.2f} ms (target: ratio ≤ 1.00)")
    finally:
        await runtime.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=240, help="rounds per count")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args()
    asyncio.run(main(args.steps, args.database_url))
