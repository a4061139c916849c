"""Market feed: first fill of the history store, and the cost of one published replay step.

Figures, each next to its peer measured in the same run:

- store fill (cold process, then warm caches) next to the I/O floor: `DataFrame.to_parquet` of
  the same frames; a second start that reuses the files;
- one `MarketFeed.step()` (one market instant of every replayed symbol, quotes published on the
  in-process pub/sub, no listeners) next to the bare `keel.market.ReplayFeed.step` per tick it
  wraps; and the bounded catch-up (`advance_to`, `MAX_CATCHUP_DAYS` trading days at once).

Run: `.venv/bin/python benchmarks/market_feed.py [days]`
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from keel.market import MarketStore, ReplayFeed
from keel.server.market.feed import MAX_CATCHUP_DAYS, MarketFeed
from keel.server.market.history import load_instruments
from keel.server.pubsub import InProcessPubSub

START = date(2008, 9, 1)
TICKS = 60
SECONDS_PER_DAY = 6.0


def timed(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - started


def new_feed(store: MarketStore) -> MarketFeed:
    return MarketFeed(
        store,
        load_instruments(store),
        start=START,
        ticks_per_bar=TICKS,
        seconds_per_day=SECONDS_PER_DAY,
        seed=7,
        pubsub=InProcessPubSub(),
    )


async def step_cost(store: MarketStore, days: int) -> tuple[float, float, float]:
    """Seconds per `MarketFeed.step()`, per bare `ReplayFeed.step`, and for one capped catch-up."""
    feed = new_feed(store)
    steps = days * TICKS
    started = time.perf_counter()
    for _ in range(steps):
        await feed.step()
    shell = (time.perf_counter() - started) / steps

    frames = {s: i.history for s, i in feed.instruments.items() if i.replayed}
    bare = ReplayFeed(frames, start=START, seconds_per_day=SECONDS_PER_DAY, ticks_per_bar=TICKS)
    tick = SECONDS_PER_DAY / (TICKS - 1)
    started = time.perf_counter()
    for k in range(steps):
        bare.step((k + 0.5) * tick)
    core = (time.perf_counter() - started) / steps

    behind = new_feed(store)
    await behind.step()
    target = behind.catch_up_target(1e9)
    started = time.perf_counter()
    await behind.advance_to(target)
    catch_up = time.perf_counter() - started
    return shell, core, catch_up


def main() -> None:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    root = Path(tempfile.mkdtemp(prefix="keel-market-"))
    cold_store = MarketStore(root / "cold", seed=7)
    cold = timed(cold_store.ensure_filled)
    warm = timed(MarketStore(root / "warm", seed=7).ensure_filled)
    reuse = timed(MarketStore(root / "cold", seed=7).ensure_filled)
    frames = {item.symbol: item.history for item in load_instruments(cold_store)}
    (root / "peer").mkdir()
    floor = timed(lambda: [f.to_parquet(root / "peer" / f"{s}.parquet") for s, f in frames.items()])
    rows = sum(len(f) for f in frames.values())
    print(f"history store: {len(frames)} symbols, {rows:,} bars")
    print(f"  first fill, cold process          {cold:8.3f} s")
    print(f"  first fill, warm caches           {warm:8.3f} s")
    print(f"  later start (files reused)        {reuse:8.3f} s")
    print(f"  peer: to_parquet of the frames    {floor:8.3f} s   (fill/peer {warm / floor:.1f}x)")

    shell, core, catch_up = asyncio.run(step_cost(cold_store, days))
    print(f"replay steps: {days} days x {TICKS} ticks from {START}")
    print(f"  MarketFeed.step (published)       {shell * 1e6:8.1f} us/step")
    print(
        f"  peer: ReplayFeed.step per tick    {core * 1e6:8.1f} us/step   (ratio {shell / core:.2f})"
    )
    print(f"  catch-up of {MAX_CATCHUP_DAYS} days (advance_to)   {catch_up * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
