"""The engine's step with 1, 5 and 20 active scenarios, next to one scenario's step, same run.

    .venv/bin/python benchmarks/scenario_steps.py [--repeats 10] [--database-url URL]

One engine process (`--role all`, on SQLite under a temp folder unless `--database-url`) runs N
created scenarios, each from its own start date with the full universe: every step of every scenario
goes through its feed, its risk runtime (volatility, breakers, stored transitions) and its engine
loop (resting-order matching, day roll-over, closing equity), while the engine's supervisor
stores the clocks once a second. One *round* steps every scenario once, one after the other as
the engine's event loop would. The peer is one scenario's step measured in the same run, in
blocks of as many scenario steps as the others, interleaved with them; the target is no
super-linear cost: a round of 20 within 20 × one scenario's step.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from keel.server.app import freeze_startup_objects
from keel.server.logging import configure_logging
from keel.server.market.component import market_data
from keel.server.migrate import upgrade
from keel.server.runtime import Runtime
from keel.server.scenarios.control import Actor
from keel.server.scenarios.launcher import run_scenario
from keel.server.scenarios.live import LiveScenario
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.scenarios.service import NewScenario, create_scenario, new_market
from keel.server.settings import Environment, Settings

COUNTS = (1, 5, 20)
SCENARIO_STEPS = 240
"""Scenario steps per measured block (240 rounds of one scenario, 12 rounds of twenty)."""
FIRST_START = date(2002, 1, 7)


async def add_scenarios(runtime: Runtime, count: int) -> list[LiveScenario]:
    """`count` scenarios beside the default, each starting 45 days after the previous one."""
    bundled = market_data(runtime).instruments
    lives = []
    for index in range(count):
        spec = NewScenario(
            name=f"bench {index}",
            start_date=FIRST_START + timedelta(days=45 * index),
            seconds_per_day=6.0,
            universe=None,
            starting_cash=Decimal(100_000),
        )
        market = await new_market(runtime, spec, bundled, owner_id="benchmark")
        async with runtime.sessionmaker.begin() as session:
            row = await create_scenario(
                session,
                runtime,
                market,
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


async def main(repeats: int, database_url: str) -> None:
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
        freeze_startup_objects()  # as `keel serve` does once it has started
        await round_seconds(lives, 20)  # warm-up: caches, first bars
        # Blocks of the same number of scenario steps for every count, interleaved, so slow and
        # fast moments of the machine fall on every count alike; the median block per count.
        per_step: dict[int, list[float]] = {count: [] for count in COUNTS}
        for _ in range(repeats):
            for count in COUNTS:
                times = await round_seconds(lives[:count], SCENARIO_STEPS // count)
                per_step[count].append(sum(times) / (len(times) * count))
        one = statistics.median(per_step[1])
        print(f"{'scenarios':>10} {'round':>11} {'per scenario step':>18} {'vs N × one':>11}")
        for count in COUNTS:
            step = statistics.median(per_step[count])
            print(
                f"{count:>10} {step * count * 1e3:>8.2f} ms {step * 1e3:>15.2f} ms"
                f" {step / one:>10.2f}×"
            )
        spread = [min(per_step[1]) * 1e3, max(per_step[1]) * 1e3]
        print(
            f"peer: one scenario's step, same run: {one * 1e3:.2f} ms (blocks {spread[0]:.2f}"
            f"–{spread[1]:.2f} ms); target: 20 scenarios within 20 × that (ratio ≤ 1.00)"
        )
    finally:
        await runtime.stop()
        gc.unfreeze()  # let the interpreter free everything at exit


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="blocks per count")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args()
    asyncio.run(main(args.repeats, args.database_url))
