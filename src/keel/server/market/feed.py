"""The live market feed: replays bundled real history tick by tick and publishes quotes and bars.

The replay walks a calendar of trading days from `settings.replay_start`. Each day every daily series
with a bar on that date yields `replay_ticks_per_bar` quotes from `keel.market.ticks` (a seeded
Brownian bridge honouring the bar's OHLC, with a bid/ask spread); one *step* publishes the next tick
of every such series, and the completed bar on the day's last tick. The background task takes one
step every `replay_seconds_per_day / replay_ticks_per_bar` wall seconds; tests drive `step()` by hand.

Bars are only served up to the replay's current market time: the feed never shows the future.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import structlog

from keel.domain.quotes import Quote
from keel.market.bars import Bar, bars_from_frame
from keel.market.datasets import DatasetInfo
from keel.market.ticks import QuoteBlock, synthesize_quotes
from keel.server.metrics import FEED_LAG
from keel.server.pubsub import PubSub

log = structlog.get_logger(__name__)

StepListener = Callable[[list[Quote]], Awaitable[None]]


@dataclass(frozen=True)
class Instrument:
    """One instrument the platform knows: its bundled history and whether it can be traded."""

    info: DatasetInfo
    history: pd.DataFrame

    @property
    def symbol(self) -> str:
        return self.info.symbol

    @property
    def first_date(self) -> date:
        return pd.Timestamp(self.history.index[0]).date()

    @property
    def last_date(self) -> date:
        return pd.Timestamp(self.history.index[-1]).date()


def quote_message(quote: Quote) -> dict[str, object]:
    """The JSON shape of a quote on the API and the WebSocket (prices as decimal strings)."""
    return {
        "symbol": quote.symbol,
        "time": quote.time.isoformat(),
        "bid": str(quote.bid),
        "ask": str(quote.ask),
        "last": str(quote.last),
        "bid_size": None if quote.bid_size is None else str(quote.bid_size),
        "ask_size": None if quote.ask_size is None else str(quote.ask_size),
    }


def bar_message(bar: Bar) -> dict[str, object]:
    """The JSON shape of a bar (prices and volume as decimal strings)."""
    return {
        "symbol": bar.symbol,
        "time": bar.time.isoformat(),
        "open": str(bar.open),
        "high": str(bar.high),
        "low": str(bar.low),
        "close": str(bar.close),
        "volume": str(bar.volume),
    }


class MarketFeed:
    """Replay of daily history as quotes; holds the latest quote of every replayed symbol."""

    def __init__(
        self,
        instruments: list[Instrument],
        *,
        start: date,
        ticks_per_bar: int,
        seconds_per_day: float,
        seed: int,
        pubsub: PubSub,
    ) -> None:
        self.instruments = {item.symbol: item for item in instruments}
        self.ticks_per_bar = ticks_per_bar
        self.seconds_per_day = seconds_per_day
        self.seed = seed
        self.pubsub = pubsub
        self._replayed = [
            item for item in instruments if item.info.frequency == "1d" and item.info.tradable
        ]
        days: set[date] = set()
        for item in self._replayed:
            days.update(d.date() for d in pd.DatetimeIndex(item.history.index) if d.date() >= start)
        self.calendar = sorted(days)
        self._day = 0
        self._tick = 0
        self._blocks: dict[str, tuple[int, QuoteBlock]] = {}
        self._latest: dict[str, Quote] = {}
        self._market_time: datetime | None = None
        self._listeners: list[StepListener] = []
        self._task: asyncio.Task[None] | None = None

    # ----- reading ---------------------------------------------------------------------------

    def instrument(self, symbol: str) -> Instrument | None:
        return self.instruments.get(symbol.upper())

    def is_tradable(self, symbol: str) -> bool:
        """True when `symbol` is replayed live and so has quotes to trade against."""
        return any(item.symbol == symbol for item in self._replayed)

    def latest_quote(self, symbol: str) -> Quote | None:
        return self._latest.get(symbol.upper())

    def latest_quotes(self) -> dict[str, Quote]:
        return dict(self._latest)

    @property
    def market_time(self) -> datetime | None:
        """Market time of the last published step (UTC); `None` before the first step."""
        return self._market_time

    @property
    def market_date(self) -> date | None:
        return self.calendar[self._day] if self._day < len(self.calendar) else None

    @property
    def finished(self) -> bool:
        return self._day >= len(self.calendar)

    def bars(self, symbol: str, *, start: date | None, end: date | None, limit: int) -> list[Bar]:
        """Completed bars of `symbol` between `start` and `end` (inclusive), never past the replay."""
        item = self.instruments[symbol]
        frame = item.history
        index = pd.DatetimeIndex(frame.index)
        mask = pd.Series(True, index=index)
        if start is not None:
            mask &= index >= pd.Timestamp(start)
        if end is not None:
            mask &= index < pd.Timestamp(end) + pd.Timedelta(days=1)
        if self.is_tradable(symbol) and self.market_date is not None:
            # Today's bar is still forming: only earlier days are history.
            mask &= index < pd.Timestamp(self.market_date)
        selected = frame[mask.to_numpy()].tail(limit)
        return bars_from_frame(symbol, selected, item.info.frequency)

    # ----- stepping --------------------------------------------------------------------------

    def add_step_listener(self, listener: StepListener) -> None:
        """Await `listener(quotes)` after every step (the engine matches resting orders there)."""
        self._listeners.append(listener)

    def _block(self, item: Instrument, day: date) -> tuple[int, QuoteBlock] | None:
        cached = self._blocks.get(item.symbol)
        if cached is not None and pd.Timestamp(item.history.index[cached[0]]).date() == day:
            return cached
        index = pd.DatetimeIndex(item.history.index)
        position = int(index.searchsorted(pd.Timestamp(day)))
        if position >= len(index) or index[position].date() != day:
            return None
        row = item.history.iloc[position : position + 1]
        block = synthesize_quotes(
            row, item.symbol, ticks_per_bar=self.ticks_per_bar, seed=self.seed
        )
        self._blocks[item.symbol] = (position, block)
        return position, block

    async def step(self) -> list[Quote]:
        """Publish the next tick of every series trading today; returns the quotes published."""
        if self.finished:
            return []
        day = self.calendar[self._day]
        quotes: list[Quote] = []
        bars: list[Bar] = []
        for item in self._replayed:
            found = self._block(item, day)
            if found is None:
                continue
            position, block = found
            quote = block.quotes(0, self._tick, self._tick + 1)[0]
            quotes.append(quote)
            if self._tick == self.ticks_per_bar - 1:
                row = item.history.iloc[position : position + 1]
                bars.extend(bars_from_frame(item.symbol, row, "1d"))
        for quote in quotes:
            self._latest[quote.symbol] = quote
            self._market_time = quote.time
        self._tick += 1
        if self._tick >= self.ticks_per_bar:
            self._tick = 0
            self._day += 1
        for quote in quotes:
            await self.pubsub.publish(f"quotes:{quote.symbol}", quote_message(quote))
        for bar in bars:
            await self.pubsub.publish(f"bars:{bar.symbol}", bar_message(bar))
        for listener in self._listeners:
            try:
                await listener(quotes)
            except Exception:
                log.exception("feed step listener failed")
        return quotes

    async def step_days(self, days: int) -> None:
        """Run whole trading days (tests and demos)."""
        for _ in range(days * self.ticks_per_bar):
            await self.step()

    # ----- background task -------------------------------------------------------------------

    def start_background(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="keel-market-feed")

    async def stop_background(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        interval = self.seconds_per_day / self.ticks_per_bar
        due = time.monotonic()
        while not self.finished:
            await self.step()
            due += interval
            delay = due - time.monotonic()
            FEED_LAG.set(max(-delay, 0.0))
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                await asyncio.sleep(0)
                if -delay > 5 * interval:
                    due = time.monotonic()  # far behind: drop the backlog instead of bursting
        log.info("market replay reached the end of the bundled history")
