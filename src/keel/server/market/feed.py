"""The live market feed: `keel.market.ReplayFeed` over the stored history, published tick by tick.

`keel.market.ReplayFeed` turns elapsed replay seconds into quotes (a seeded Brownian bridge inside
each daily bar, with a bid/ask spread) and completed bars. This shell publishes them one market
instant at a time: one *step* is one tick of every symbol trading that day, and the day's last step
(its close) also completes the day's bars. Each step updates the latest quotes, publishes
`quotes:SYM` and `bars:SYM`, then awaits the step listeners (risk runtime, engine loop).

The replay's position is measured in trading days since the scenario's first day (`position`,
a float: 2.5 is the middle of the third day), so it means the same at any speed; the scenario
stores it and a restart resumes there (`fast_forward`, silently: nothing is published twice).

Two drivers, one path: tests call `step()` by hand; the background task (`replay_autostart`)
advances by wall time, one tick every `seconds_per_day / (ticks_per_bar - 1)` seconds, and obeys
`pause()`, `resume()` and `set_speed()` at once. `skip(days)` publishes every instant up to that
many trading days ahead (breakers and resting orders see them all). After a stall the task replays
at most `max_catchup_days` trading days in one go and drops the rest of the backlog (logged), so a
catch-up never holds the event loop for long.

Bars come from the store's DuckDB range queries and never from the replay's current day onwards:
the feed never shows the future.

Faults. Publishing to pub/sub (Redis) may fail: the step is kept (quotes, listeners, breakers and
resting orders go on), the failure is logged once per outage, and what was not sent is sent again
before the next step's messages (quotes conflated to the latest per channel, bars kept in order,
at most `MAX_UNSENT`). A publish gets `PUBLISH_TIMEOUT_SECONDS`, so a Redis that hangs cannot
freeze market time. Should the background task still fail, it is logged and restarted. While the
market runs, quotes older than `stale_after` wall seconds are *stale* (`stale_for`): `/readyz`
fails, orders are refused, and the stall listeners (the engine's market breaker) are told.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import structlog

from keel.domain.quotes import Quote
from keel.market.bars import SESSION_TZ, Bar, session_bounds
from keel.market.replay import ReplayFeed, ReplayUpdate
from keel.market.store import MarketStore
from keel.server.market.history import Instrument, query_bars
from keel.server.metrics import FEED_LAG
from keel.server.pubsub import PubSub
from keel.server.scenarios.channels import scenario_channel
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID

log = structlog.get_logger(__name__)

StepListener = Callable[[list[Quote]], Awaitable[None]]

MAX_CATCHUP_DAYS = 3
"""Trading days one background step may replay after a stall; older backlog is dropped."""
PUBLISH_TIMEOUT_SECONDS = 2.0
MAX_UNSENT = 10_000
"""Bar messages kept for resending while pub/sub is down (quotes are conflated per channel)."""
RESTART_DELAY_SECONDS = (0.1, 1.0, 5.0)
"""Waits before restarting a failed background task (the last one repeats)."""
WATCH_EVERY_SECONDS = 1.0
StallListener = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class FeedStep:
    """One market instant: every quote at `time` and the bars its close ticks completed."""

    time: datetime
    quotes: list[Quote]
    bars: list[Bar]

    @property
    def day(self) -> date:
        return self.time.astimezone(SESSION_TZ).date()


def split_steps(update: ReplayUpdate) -> list[FeedStep]:
    """Cut one `ReplayFeed.step` result into market instants, oldest first (bars at their close)."""
    by_time: dict[datetime, list[Quote]] = {}
    for quote in update.quotes:
        by_time.setdefault(quote.time, []).append(quote)
    bars_at: dict[datetime, list[Bar]] = {}
    for bar in update.bars:
        closes_at = session_bounds(bar.time.astimezone(SESSION_TZ).date())[1]
        bars_at.setdefault(closes_at, []).append(bar)
    return [FeedStep(at, quotes, bars_at.get(at, [])) for at, quotes in sorted(by_time.items())]


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
    """The replay as the server sees it: latest quotes, market time, bars up to yesterday."""

    def __init__(
        self,
        store: MarketStore,
        instruments: list[Instrument],
        *,
        start: date,
        ticks_per_bar: int,
        seconds_per_day: float,
        seed: int,
        pubsub: PubSub,
        max_catchup_days: int = MAX_CATCHUP_DAYS,
        wall: Callable[[], float] = time.monotonic,
        paused: bool = False,
        scenario_id: str = DEFAULT_SCENARIO_ID,
        stale_after: float = 10.0,
    ) -> None:
        self.store = store
        self.scenario_id = scenario_id
        self.instruments = {item.symbol: item for item in instruments}
        self.ticks_per_bar = ticks_per_bar
        self.seconds_per_day = seconds_per_day
        self.seed = seed
        self.pubsub = pubsub
        self.max_catchup_days = max_catchup_days
        self.wall = wall
        """Wall seconds (monotonic) that drive the background task; tests pass a fake."""
        self.paused = paused
        self.skipped_days = 0.0
        """Trading days of backlog the background task dropped after stalls (each logged)."""
        # The core replay counts in trading days: one "second" of it is one day.
        self.replay = ReplayFeed(
            {item.symbol: item.history for item in instruments if item.replayed},
            start=start,
            seconds_per_day=1.0,
            ticks_per_bar=ticks_per_bar,
            seed=seed,
        )
        clock = self.replay.clock
        self.calendar: list[date] = clock.days[clock.start_index :]
        """Trading days of the replay, from its first day on."""
        self._tick_days = 1.0 / (ticks_per_bar - 1)
        self._elapsed = -math.inf  # trading days already pulled from `self.replay`
        self._position = 0.0  # trading days of the last published instant
        self._control = asyncio.Event()  # set when pause, resume or speed change
        self._exhausted = False
        self._pending: deque[FeedStep] = deque()
        self._day = 0  # index into `calendar` of the current market date
        self._latest: dict[str, Quote] = {}
        self._market_time: datetime | None = None
        self._previous_close: dict[str, Decimal] = self.replay.previous_close()
        self._completed: list[Bar] = []
        self._listeners: list[StepListener] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self.stale_after = stale_after
        """Wall seconds without new prices, while the market runs, after which quotes are stale."""
        self.running = False
        """Whether prices are expected to move by themselves (the background task, or an engine
        mirrored by a replica); a feed stepped by hand is never stale."""
        self.restarts = 0
        """How often the background task failed and was restarted."""
        self._moved_at: float | None = None  # wall time of the last published instant
        self._unsent_quotes: dict[str, dict[str, object]] = {}
        self._unsent: deque[tuple[str, dict[str, object]]] = deque(maxlen=MAX_UNSENT)
        self._publish_failing = False
        self._stall_listeners: list[StallListener] = []

    # ----- reading ---------------------------------------------------------------------------

    def instrument(self, symbol: str) -> Instrument | None:
        return self.instruments.get(symbol.upper())

    def is_tradable(self, symbol: str) -> bool:
        """True when `symbol` is replayed live and so has quotes to trade against."""
        item = self.instruments.get(symbol)
        return item is not None and item.replayed

    def latest_quote(self, symbol: str) -> Quote | None:
        return self._latest.get(symbol.upper())

    def latest_quotes(self) -> dict[str, Quote]:
        return dict(self._latest)

    def previous_close(self, symbol: str) -> Decimal | None:
        """Close of `symbol`'s last session before `market_date` (None if none yet): a day's
        close becomes the previous close as soon as that day closes."""
        return self._previous_close.get(symbol.upper())

    @property
    def completed_bars(self) -> list[Bar]:
        """The daily bars the latest step completed (empty unless it was a day's close)."""
        return list(self._completed)

    @property
    def market_time(self) -> datetime | None:
        """Market time of the last published step (UTC); `None` before the first step."""
        return self._market_time

    @property
    def market_date(self) -> date | None:
        """The trading day being replayed (the next one once a day has closed); `None` at the end."""
        return self.calendar[self._day] if self._day < len(self.calendar) else None

    @property
    def finished(self) -> bool:
        return self._day >= len(self.calendar)

    @property
    def position(self) -> float:
        """Trading days since the first day's open of the last published instant (0 before)."""
        return self._position

    @property
    def first_open(self) -> datetime:
        """The opening time of the replay's first day: market time before the first step."""
        return session_bounds(self.calendar[0])[0] if self.calendar else datetime.min

    def position_of(self, moment: datetime) -> float:
        """The replay position (trading days) of market time `moment`: its day's index in the
        calendar plus the share of that day's session gone by (clipped to the session)."""
        day = moment.astimezone(SESSION_TZ).date()
        index = bisect.bisect_left(self.calendar, day)
        if index >= len(self.calendar):
            return float(len(self.calendar))
        if self.calendar[index] != day:
            return float(index)  # a moment between sessions: the next day's open
        opens, closes = session_bounds(day)
        share = (moment - opens) / (closes - opens)
        return index + min(max(share, 0.0), 1.0)

    def bars(self, symbol: str, *, start: date | None, end: date | None, limit: int) -> list[Bar]:
        """The last `limit` completed bars of `symbol` dated in [start, end] (inclusive), never
        from the replay's current day onwards. Queries the store (DuckDB): call off the loop."""
        return query_bars(
            self.store,
            self.instruments[symbol],
            start=start,
            end=end,
            before=self.market_date,
            limit=limit,
        )

    def stale_for(self) -> float:
        """Wall seconds since prices last moved, when that is longer than allowed while the
        market runs (`stale_after`, and never less than three ticks); 0 when the quotes are
        fresh, or when nothing should move them (paused, finished, stepped by hand)."""
        if not self.running or self.paused or self.finished or self._moved_at is None:
            return 0.0
        limit = max(self.stale_after, 3 * self.seconds_per_day * self._tick_days)
        silence = self.wall() - self._moved_at
        return silence if silence > limit else 0.0

    def add_stall_listener(self, listener: StallListener) -> None:
        """Await `listener(seconds_without_prices)` while the quotes are stale (once a second)."""
        self._stall_listeners.append(listener)

    # ----- stepping --------------------------------------------------------------------------

    def add_step_listener(self, listener: StepListener) -> None:
        """Await `listener(quotes)` after every step (the engine matches resting orders there)."""
        self._listeners.append(listener)

    def _pull(self, elapsed: float) -> list[FeedStep]:
        """Advance the replay to `elapsed` trading days; the instants it produced (CPU only)."""
        update = self.replay.step(elapsed)
        self._elapsed = max(self._elapsed, elapsed)
        self._exhausted = update.position.finished
        return split_steps(update)

    def _next_tick_elapsed(self) -> float:
        """Trading days half a tick past the next tick's due time (safe from float rounding)."""
        if self._elapsed == -math.inf:
            return 0.5 * self._tick_days
        return (math.floor(self._elapsed / self._tick_days) + 1.5) * self._tick_days

    def fast_forward(self, position: float) -> None:
        """Move a feed that has published nothing to `position` trading days without publishing
        (a restart resuming where the scenario stopped): quotes, previous closes and the market
        date are those of the last instant at or before it. CPU only: call off the loop."""
        if self._elapsed != -math.inf:
            raise RuntimeError("only a feed that has not stepped yet can fast-forward")
        steps = self._pull(position)
        for step in steps:
            self._apply(step)

    async def step(self) -> list[Quote]:
        """Publish the next market instant (one tick of every symbol trading that day); returns
        its quotes, empty at the end of the history."""
        started = time.perf_counter()
        async with self._lock:
            while not self._pending and not self._exhausted:
                self._pending.extend(self._pull(self._next_tick_elapsed()))
            if not self._pending:
                return []
            step = self._pending.popleft()
            await self._publish(step)
        FEED_LAG.set(time.perf_counter() - started)
        return step.quotes

    async def step_days(self, days: int) -> None:
        """Run whole trading days (tests and demos)."""
        for _ in range(days * self.ticks_per_bar):
            await self.step()

    async def skip(self, days: float) -> int:
        """Publish every instant of the next `days` trading days at once; the count."""
        return await self.advance_to(max(self._elapsed, 0.0) + days)

    async def advance_to(self, elapsed: float) -> int:
        """Publish every instant up to `elapsed` trading days since the start; the count."""
        async with self._lock:
            if elapsed > self._elapsed and not self._exhausted:
                steps = await asyncio.to_thread(self._pull, elapsed)
                self._pending.extend(steps)
            published = 0
            while self._pending:
                await self._publish(self._pending.popleft())
                published += 1
            return published

    def _apply(self, step: FeedStep) -> None:
        """Make `step` the latest instant (no publishing)."""
        while self._day < len(self.calendar) and self.calendar[self._day] < step.day:
            self._day += 1
        for quote in step.quotes:
            self._latest[quote.symbol] = quote
        self._market_time = step.time
        self._position = self.position_of(step.time)
        self._completed = step.bars
        for bar in step.bars:
            self._previous_close[bar.symbol] = bar.close
        if step.time >= session_bounds(step.day)[1]:
            self._day += 1  # the day has closed: orders and breakers look at the next one

    async def _publish(self, step: FeedStep) -> None:
        self._apply(step)
        self._moved_at = self.wall()
        for quote in step.quotes:
            channel = scenario_channel(self.scenario_id, f"quotes:{quote.symbol}")
            self._unsent_quotes.pop(channel, None)  # a newer quote replaces the unsent one
            self._unsent_quotes[channel] = quote_message(quote)
        for bar in step.bars:
            channel = scenario_channel(self.scenario_id, f"bars:{bar.symbol}")
            self._unsent.append((channel, bar_message(bar)))
        await self._send()
        # Let the WebSocket writers send what was just published before the step's own work
        # (breakers, volatility, matching: long at a day's close) holds the event loop.
        await asyncio.sleep(0)
        for listener in self._listeners:
            try:
                await listener(step.quotes)
            except Exception:
                log.exception("feed step listener failed")

    async def _send(self) -> None:
        """Publish what waits (earlier unsent messages first, in order); on failure keep it for
        the next step, quotes conflated: market time never waits for pub/sub."""
        if not self._unsent_quotes and not self._unsent:
            return
        messages = [*self._unsent_quotes.items(), *self._unsent]
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_SECONDS):
                await self.pubsub.publish_many(messages)
        except Exception as error:
            if not self._publish_failing:
                log.warning(
                    "publishing market data failed; the replay goes on and will send it again",
                    scenario_id=self.scenario_id,
                    error=repr(error),
                )
            self._publish_failing = True
            return
        self._unsent_quotes.clear()
        self._unsent.clear()
        if self._publish_failing:
            log.info("publishing market data works again", scenario_id=self.scenario_id)
        self._publish_failing = False

    # ----- background task -------------------------------------------------------------------

    def start_background(self) -> None:
        """Advance the replay by wall time in a background task (`KEEL_REPLAY_AUTOSTART`),
        restarted when it fails, and watch it for staleness."""
        if self._task is None:
            self.running = True
            self._moved_at = self.wall()
            self._task = asyncio.create_task(self._run_restarting(), name="keel-market-feed")
            self._watch_task = asyncio.create_task(self._watch(), name="keel-market-feed-watch")

    async def stop_background(self) -> None:
        self.running = False
        for task in (self._task, self._watch_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._watch_task = None

    async def _run_restarting(self) -> None:
        """`_run`, started again after a failure (logged): market time must not stop for good
        because one step failed."""
        failures = 0
        while True:
            try:
                await self._run()
                return
            except Exception:
                delay = RESTART_DELAY_SECONDS[min(failures, len(RESTART_DELAY_SECONDS) - 1)]
                log.exception(
                    "market feed failed; restarting it", scenario_id=self.scenario_id, delay=delay
                )
                failures += 1
                self.restarts += 1
                await asyncio.sleep(delay)

    async def _watch(self) -> None:
        """Once a second: tell the stall listeners while the quotes are stale."""
        while True:
            await asyncio.sleep(WATCH_EVERY_SECONDS)
            stale = self.stale_for()
            if not stale:
                continue
            log.warning(
                "market prices are stale", scenario_id=self.scenario_id, seconds=round(stale, 1)
            )
            for listener in self._stall_listeners:
                try:
                    await listener(stale)
                except Exception:
                    log.exception("feed stall listener failed")

    def pause(self) -> None:
        """Stop market time (the background task waits; `step` and `skip` still work)."""
        self.paused = True
        self._control.set()

    def resume(self) -> None:
        """Let market time run again from where it stopped."""
        self.paused = False
        self._control.set()

    def set_speed(self, seconds_per_day: float) -> None:
        """Wall seconds per trading day from now on (the position does not jump)."""
        if not seconds_per_day > 0 or not math.isfinite(seconds_per_day):
            raise ValueError("seconds_per_day must be a positive number")
        self.seconds_per_day = seconds_per_day
        self._control.set()

    def catch_up_target(self, due: float) -> float:
        """The trading days one background step may reach when `due` are due: at most
        `max_catchup_days` trading days past what was already replayed."""
        done = max(self._elapsed, 0.0)
        return min(due, done + self.max_catchup_days)

    async def _wait_for_control(self, seconds: float | None) -> bool:
        """Sleep `seconds` (forever if None) or until a control change; True if one came."""
        try:
            async with asyncio.timeout(seconds):
                await self._control.wait()
        except TimeoutError:
            return False
        self._control.clear()
        return True

    async def _run(self) -> None:
        while not self.finished:
            if self.paused:
                await self._wait_for_control(None)
                continue
            # Wall moment at which the replay would have been at day 0 at the current speed.
            speed = self.seconds_per_day
            origin = self.wall() - max(self._elapsed, 0.0) * speed
            changed = False
            while not changed:
                due = (self.wall() - origin) / speed
                target = self.catch_up_target(due)
                if target < due:
                    log.warning(
                        "market feed fell behind; skipping the backlog",
                        behind_days=round(due - self._elapsed, 3),
                        replayed_days=self.max_catchup_days,
                    )
                    origin += (due - target) * speed  # resume from here instead of bursting
                    self.skipped_days += due - target
                await self.advance_to(target)
                if self._exhausted and not self._pending:
                    log.info("market replay reached the end of the stored history")
                    return
                # Lag: how long after the newest due tick it was published.
                newest_due = math.floor(target / self._tick_days) * self._tick_days
                FEED_LAG.set(max(self.wall() - origin - newest_due * speed, 0.0))
                next_due = origin + (newest_due + self._tick_days) * speed
                changed = await self._wait_for_control(max(next_due - self.wall(), 0.0))
