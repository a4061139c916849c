"""Tick synthesis speed: Brownian-bridge ticks for every SPX bar, next to plain numpy in the same run.

Peer: numpy drawing the same number of normal variates and cumulating them per bar (an unconstrained
random walk with no OHLC anchoring) — the floor any bridge construction sits on. Also shown: a
per-bar loop calling the same bridge one bar at a time, as the replay does.

Run: `.venv/bin/python benchmarks/ticks.py [ticks_per_bar]`
"""

from __future__ import annotations

import sys
import time

import numpy as np

from keel.market import load_bundled, synthesize_quotes, synthesize_ticks


def best_of(repeats: int, run: object) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    ticks_per_bar = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    spx = load_bundled("SPX")
    total = len(spx) * ticks_per_bar
    rng = np.random.default_rng(7)

    bridge = best_of(5, lambda: synthesize_ticks(spx, "SPX", ticks_per_bar=ticks_per_bar, seed=7))
    quotes = best_of(5, lambda: synthesize_quotes(spx, "SPX", ticks_per_bar=ticks_per_bar, seed=7))
    walk = best_of(5, lambda: np.cumsum(rng.standard_normal((len(spx), ticks_per_bar)), axis=1))
    sample = spx.iloc[:500]
    per_bar = best_of(
        1,
        lambda: [
            synthesize_ticks(sample.iloc[i : i + 1], "SPX", ticks_per_bar=ticks_per_bar, seed=7)
            for i in range(len(sample))
        ],
    ) * (len(spx) / len(sample))

    print(f"SPX: {len(spx):,} bars x {ticks_per_bar} ticks = {total:,} ticks")
    print(
        f"  brownian bridge (vectorised)     {total / bridge / 1e6:8.2f} M ticks/s  ({bridge:.3f} s)"
    )
    print(
        f"  bridge + quotes (vectorised)     {total / quotes / 1e6:8.2f} M ticks/s  ({quotes:.3f} s)"
    )
    print(
        f"  bridge one bar per call          {total / per_bar / 1e6:8.2f} M ticks/s  ({per_bar:.3f} s)"
    )
    print(f"  peer: numpy random walk          {total / walk / 1e6:8.2f} M ticks/s  ({walk:.3f} s)")
    print(f"  bridge / numpy walk time ratio   {bridge / walk:8.2f}")


if __name__ == "__main__":
    main()
