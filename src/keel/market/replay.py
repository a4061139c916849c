"""Replay of daily history as a live market: wall time in, market time, quotes and bars out.

`ReplayClock` maps elapsed wall seconds to a position in a trading calendar: every
`seconds_per_day` of wall time is one trading day, whose regular session (09:30–16:00
America/New_York) is walked at a constant pace. `ReplayFeed` steps that clock and returns what
happened since the previous step: quotes (from the Brownian-bridge ticks of each bar, with a spread),
completed bars, and each symbol's previous close. Nothing here reads the wall clock: the server
measures elapsed time and calls `step`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from keel.domain.money import to_price
from keel.domain.quotes import Quote
from keel.market.bars import Bar, bar_from_row, session_bounds
from keel.market.ticks import QuoteBlock, synthesize_quotes

__all__ = ["ReplayClock", "ReplayFeed", "ReplayPosition", "ReplayUpdate"]


@dataclass(frozen=True)
class ReplayPosition:
    """Where the replay is: calendar row `bar_index` (its date `day`), `fraction` of its session
    elapsed in [0, 1], and the market time (UTC). `finished` once past the last calendar day."""

    bar_index: int
    day: date
    fraction: float
    market_time: datetime
    finished: bool


class ReplayClock:
    """Maps elapsed wall seconds to market time over a calendar of trading dates."""

    def __init__(
        self, calendar: pd.DatetimeIndex, start: date, seconds_per_day: float = 6.0
    ) -> None:
        if seconds_per_day <= 0 or not math.isfinite(seconds_per_day):
            raise ValueError("seconds_per_day must be a positive number")
        days = pd.DatetimeIndex(calendar).normalize().unique().sort_values()
        self.days: list[date] = [d.date() for d in days]
        first = int(days.searchsorted(pd.Timestamp(start)))
        if first >= len(self.days):
            raise ValueError(f"no trading day on or after {start} in the calendar")
        self.start_index = first
        self.seconds_per_day = float(seconds_per_day)

    @property
    def start_day(self) -> date:
        """The first trading day on or after the requested start."""
        return self.days[self.start_index]

    def position(self, elapsed_seconds: float) -> ReplayPosition:
        """The replay position after `elapsed_seconds` of wall time (negative counts as zero)."""
        progress = max(float(elapsed_seconds), 0.0) / self.seconds_per_day
        whole = math.floor(progress)
        index = self.start_index + whole
        fraction = progress - whole
        finished = index >= len(self.days)
        if finished:
            index, fraction = len(self.days) - 1, 1.0
        opens, closes = session_bounds(self.days[index])
        market_time = opens + (closes - opens) * fraction
        return ReplayPosition(index, self.days[index], fraction, market_time, finished)


@dataclass(frozen=True)
class ReplayUpdate:
    """What one `ReplayFeed.step` produced, in market-time order."""

    position: ReplayPosition
    quotes: list[Quote]
    bars: list[Bar]
    """Bars completed during this step (their close was the last quote of the bar)."""
    previous_close: dict[str, Decimal] = field(default_factory=dict)
    """Per symbol, the close of its last bar before the current day (the breakers' reference)."""


def _utc_ns(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) * 1000


class ReplayFeed:
    """Replays daily OHLCV float frames (the `keel.market.datasets` shape), all symbols in step.

    The calendar is the union of the frames' dates; a symbol without a bar on a day is silent that
    day. Quotes come from `synthesize_quotes` with `ticks_per_bar` ticks per session, so bar k's
    last quote is its close. A step that skips many days emits every tick of them, in order.
    """

    def __init__(
        self,
        frames: Mapping[str, pd.DataFrame],
        *,
        start: date,
        seconds_per_day: float = 6.0,
        ticks_per_bar: int = 60,
        seed: int = 7,
        spread_bps: float = 2.0,
        touch_share: float = 0.05,
    ) -> None:
        if not frames:
            raise ValueError("a replay needs at least one symbol")
        self.frames = {symbol.upper(): frame for symbol, frame in frames.items()}
        calendar = pd.DatetimeIndex(
            np.unique(
                np.concatenate(
                    [pd.DatetimeIndex(f.index).normalize().values for f in self.frames.values()]
                )
            )
        )
        self.clock = ReplayClock(calendar, start, seconds_per_day)
        self.ticks_per_bar = int(ticks_per_bar)
        self.seed = seed
        self.spread_bps = spread_bps
        self.touch_share = touch_share
        self._rows = {
            symbol: np.asarray(
                pd.DatetimeIndex(frame.index).normalize().get_indexer(calendar), dtype=np.int64
            )
            for symbol, frame in self.frames.items()
        }
        self._cursor = (self.clock.start_index, -1)  # last (bar, tick) emitted
        self._blocks: dict[tuple[str, int], QuoteBlock] = {}
        self._previous_close = {
            symbol: self._close_before(symbol, self.clock.start_index) for symbol in self.frames
        }

    def _close_before(self, symbol: str, bar_index: int) -> Decimal | None:
        rows = self._rows[symbol][:bar_index]
        present = rows[rows >= 0]
        if present.size == 0:
            return None
        return to_price(float(self.frames[symbol]["Close"].iloc[int(present[-1])]))

    @property
    def symbols(self) -> list[str]:
        return list(self.frames)

    def previous_close(self) -> dict[str, Decimal]:
        """Per symbol, the close of its last bar before the current day (absent if none yet)."""
        return {s: c for s, c in self._previous_close.items() if c is not None}

    def _block(self, symbol: str, bar_index: int) -> QuoteBlock:
        key = (symbol, bar_index)
        if key not in self._blocks:
            row = int(self._rows[symbol][bar_index])
            frame = self.frames[symbol].iloc[row : row + 1]
            self._blocks[key] = synthesize_quotes(
                frame,
                symbol,
                ticks_per_bar=self.ticks_per_bar,
                seed=self.seed,
                spread_bps=self.spread_bps,
                touch_share=self.touch_share,
            )
        return self._blocks[key]

    def _completed_bar(self, symbol: str, bar_index: int) -> Bar:
        frame = self.frames[symbol]
        row = int(self._rows[symbol][bar_index])
        values = frame[["Open", "High", "Low", "Close", "Volume"]].iloc[row].to_numpy(dtype=float)
        opens, _ = session_bounds(self.clock.days[bar_index])
        return bar_from_row(symbol, _utc_ns(opens), tuple(float(v) for v in values))

    def step(self, elapsed_seconds: float) -> ReplayUpdate:
        """Advance to `elapsed_seconds` of wall time since the replay started; return what happened.

        Elapsed time never runs backwards for the feed: a smaller value than before emits nothing.
        """
        position = self.clock.position(elapsed_seconds)
        last = self.ticks_per_bar - 1
        target = (position.bar_index, last if position.finished else int(position.fraction * last))
        quotes: list[Quote] = []
        bars: list[Bar] = []
        bar_index, tick = self._cursor
        while (bar_index, tick) < target:
            if tick == last:
                bar_index, tick = bar_index + 1, -1
                self._roll_previous_close(bar_index)
                continue
            stop = target[1] if bar_index == target[0] else last
            for symbol in self.frames:
                if self._rows[symbol][bar_index] < 0:
                    continue
                quotes.extend(self._block(symbol, bar_index).quotes(0, tick + 1, stop + 1))
                if stop == last:
                    bars.append(self._completed_bar(symbol, bar_index))
                    self._blocks.pop((symbol, bar_index), None)
            tick = stop
        self._cursor = (bar_index, tick)
        quotes.sort(key=lambda quote: quote.time)
        return ReplayUpdate(position, quotes, bars, self.previous_close())

    def _roll_previous_close(self, bar_index: int) -> None:
        for symbol in self.frames:
            self._previous_close[symbol] = self._close_before(symbol, bar_index)
