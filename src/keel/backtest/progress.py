"""Progress of one backtest: its passes over the bars, reported in about 1 % steps.

A run makes one or two passes over the bars: the breaker pass (`regimes.breaker_levels`, when
breakers are on), then the loop (`events`, `signals` or `engine`). Each pass walks its bars in
chunks (`ProgressMeter.chunks`) and the meter reports after every chunk, so a pass's inner loop
carries no per-bar check and the callback (which may raise to cancel the run) is called about
every 1 % of the whole run's work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence

ProgressCallback = Callable[[int, int], None]
"""Called as progress(done, total): `total` is the number of bars; `done` is the share of the
run's work finished, in bars, rising in about 1 % steps and reaching `total` once the result is
complete. An exception raised by the callback stops the run and propagates."""

Chunks = Callable[[int, int], Iterable[tuple[int, int]]]
"""chunks(start, stop): the ranges [lo, hi) a pass walks bars [start, stop) in."""

STEPS = 100
"""Progress reports per run (when the run has at least this many bars)."""

PASS_COST_US = {"breakers": 6.5, "events": 2.0, "signals": 1.0, "engine": 9.0}
"""Rough cost of one bar in each pass, in microseconds (`benchmarks/backtest_speed.py`, SMA
10/30); it only decides how the progress is shared between a run's passes."""


class ProgressMeter:
    """Turns the bars each pass has done into `ProgressCallback` calls, each `done` larger."""

    def __init__(self, callback: ProgressCallback | None, total: int, passes: Sequence[str]):
        self.callback = callback
        self.total = total
        costs = [PASS_COST_US[name] for name in passes]
        self._shares = {name: cost / sum(costs) for name, cost in zip(passes, costs, strict=True)}
        offsets = [sum(costs[:index]) / sum(costs) for index in range(len(costs))]
        self._offsets = dict(zip(passes, offsets, strict=True))
        self.reported = 0

    def chunks(self, name: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """Ranges [lo, hi) covering bars [start, stop) of pass `name`, ~1 % of the run each;
        progress is reported when the caller asks for the next range (one range when silent)."""
        if self.callback is None or stop <= start:
            yield start, stop
            return
        share, offset = self._shares[name], self._offsets[name]
        length = stop - start
        step = max(1, math.ceil(length / (STEPS * share)))
        for lo in range(start, stop, step):
            hi = min(lo + step, stop)
            yield lo, hi
            # Below `total` until `finish`: the run's statistics are still to come.
            done = int(self.total * (offset + share * (hi - start) / length))
            self._report(min(self.total - 1, done))

    def finish(self) -> None:
        """Report the run as complete (done == total)."""
        self._report(self.total)

    def _report(self, done: int) -> None:
        if self.callback is not None and done > self.reported:
            self.reported = done
            self.callback(done, self.total)


def whole(start: int, stop: int) -> Iterator[tuple[int, int]]:
    """One range [start, stop): a pass that reports no progress."""
    yield start, stop
