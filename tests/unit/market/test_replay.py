"""Replay: wall time → market time, and a feed whose quotes walk every bar to its close."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from keel.market import ReplayClock, ReplayFeed, load_bundled

TICKS = 8
SECONDS = 4.0


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {symbol: load_bundled(symbol) for symbol in ("SPX", "IXIC", "GOOG")}


def make_feed(frames: dict[str, pd.DataFrame], start: date = date(2008, 9, 1)) -> ReplayFeed:
    return ReplayFeed(frames, start=start, seconds_per_day=SECONDS, ticks_per_bar=TICKS, seed=7)


@pytest.mark.parametrize(
    ("start", "first_day", "symbols"),
    [
        # Labor Day: the replay opens the next morning.
        (date(2008, 9, 1), date(2008, 9, 2), {"SPX", "IXIC", "GOOG"}),
        (date(2008, 9, 15), date(2008, 9, 15), {"SPX", "IXIC", "GOOG"}),
        # Markets shut after the attacks; GOOG was not listed yet.
        (date(2001, 9, 11), date(2001, 9, 17), {"SPX", "IXIC"}),
    ],
)
def test_replay_starts_on_the_first_trading_day_on_or_after_the_start(
    frames: dict[str, pd.DataFrame], start: date, first_day: date, symbols: set[str]
) -> None:
    feed = make_feed(frames, start)
    assert feed.clock.start_day == first_day
    update = feed.step(0.0)
    assert update.position.day == first_day
    assert {q.symbol for q in update.quotes} == symbols


@pytest.mark.parametrize(
    ("elapsed", "day", "fraction", "market_time"),
    [
        (0.0, date(2008, 9, 2), 0.0, datetime(2008, 9, 2, 13, 30, tzinfo=UTC)),
        (2.0, date(2008, 9, 2), 0.5, datetime(2008, 9, 2, 16, 45, tzinfo=UTC)),
        (4.0, date(2008, 9, 3), 0.0, datetime(2008, 9, 3, 13, 30, tzinfo=UTC)),
        (-3.0, date(2008, 9, 2), 0.0, datetime(2008, 9, 2, 13, 30, tzinfo=UTC)),
    ],
)
def test_clock_maps_wall_seconds_to_market_time(
    elapsed: float, day: date, fraction: float, market_time: datetime
) -> None:
    clock = ReplayClock(pd.DatetimeIndex(load_bundled("SPX").index), date(2008, 9, 1), SECONDS)
    position = clock.position(elapsed)
    assert (position.day, position.fraction, position.market_time) == (day, fraction, market_time)
    assert not position.finished


def test_clock_finishes_at_the_end_of_its_calendar() -> None:
    clock = ReplayClock(pd.DatetimeIndex(load_bundled("SPX").index), date(2018, 12, 28), SECONDS)
    position = clock.position(SECONDS * 10)
    assert position.finished and position.day == date(2018, 12, 31) and position.fraction == 1.0
    with pytest.raises(ValueError, match="no trading day"):
        ReplayClock(pd.DatetimeIndex(load_bundled("SPX").index), date(2019, 6, 1), SECONDS)


def test_market_time_is_monotonic_and_every_bar_ends_at_its_close(
    frames: dict[str, pd.DataFrame],
) -> None:
    feed = make_feed(frames)
    last_time = datetime(2008, 9, 1, tzinfo=UTC)
    last_quote: dict[tuple[str, date], Decimal] = {}
    quotes_in_bar: dict[tuple[str, date], int] = {}
    bars = []
    elapsed = 0.0
    while elapsed <= SECONDS * 25:  # five weeks through the September 2008 crash, uneven steps
        update = feed.step(elapsed)
        assert update.position.market_time >= last_time
        last_time = update.position.market_time
        for quote in update.quotes:
            assert quote.time <= update.position.market_time
            assert quote.bid <= quote.last <= quote.ask
            key = (quote.symbol, quote.time.date())  # one session per UTC date in New York
            last_quote[key] = quote.last
            quotes_in_bar[key] = quotes_in_bar.get(key, 0) + 1
        for bar in update.bars:
            key = (bar.symbol, bar.time.date())
            assert last_quote[key] == bar.close  # the bar's ticks end at its close
            assert quotes_in_bar.pop(key) == TICKS
            bars.append(bar)
        elapsed += 0.7 if int(elapsed) % 3 else 2.9
    times = [bar.time for bar in bars]
    assert times == sorted(times)
    spx = [bar for bar in bars if bar.symbol == "SPX"]
    assert spx[0].time.date() == date(2008, 9, 2)
    expected = load_bundled("SPX").loc["2008-09-02":].iloc[: len(spx)]
    assert [bar.close for bar in spx] == [Decimal(str(c)) for c in expected["Close"]]


def test_previous_close_is_the_last_close_before_the_current_day(
    frames: dict[str, pd.DataFrame],
) -> None:
    feed = make_feed(frames)
    first = feed.step(0.5)
    assert first.previous_close["SPX"] == Decimal("1282.83")  # Friday 2008-08-29
    later = feed.step(SECONDS * 10 + 0.5)  # into 2008-09-16, the day after Lehman
    assert later.position.day == date(2008, 9, 16)
    assert later.previous_close["SPX"] == Decimal("1192.7")


def test_a_symbol_without_history_yet_stays_silent() -> None:
    frames = {"SPX": load_bundled("SPX"), "GOOG": load_bundled("GOOG")}
    feed = make_feed(frames, date(2004, 8, 16))
    update = feed.step(SECONDS * 2.5)  # Monday 16th to Wednesday 18th: GOOG lists on the 19th
    assert {q.symbol for q in update.quotes} == {"SPX"}
    assert "GOOG" not in update.previous_close
    update = feed.step(SECONDS * 3.5)
    goog = [q for q in update.quotes if q.symbol == "GOOG"]
    assert goog and goog[0].time.date() == date(2004, 8, 19)
    assert goog[0].last == Decimal("100")  # the listing day's open


def test_same_seed_replays_the_same_quotes(frames: dict[str, pd.DataFrame]) -> None:
    one, two = make_feed(frames), make_feed(frames)
    assert one.step(SECONDS * 1.5).quotes == two.step(SECONDS * 1.5).quotes
