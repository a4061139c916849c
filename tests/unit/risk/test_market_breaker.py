"""Market-wide breaker: acceptance 8 on SPX crash days replayed through Brownian-bridge ticks."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from keel.domain.enums import Permission
from keel.market.bars import session_bounds
from keel.market.datasets import load_bundled
from keel.market.ticks import synthesize_ticks
from keel.risk.market_breaker import MarketWideBreaker
from keel.risk.transitions import BreakerTransition, TransitionKind

CRASH_DAYS = ["2008-09-29", "2008-10-09", "2008-10-15", "2008-12-01"]
TICKS_PER_DAY = 391  # one a minute, 09:30 to 16:00
SEED = 7


def _ns_to_utc(ns: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(ns) // 1000)


def replay(spx: pd.DataFrame, days: pd.DatetimeIndex, breaker: MarketWideBreaker) -> None:
    """Replay each day (and the prior close before it) through bridge ticks into `breaker`."""
    positions = spx.index.get_indexer(days)
    frame = spx.iloc[positions]
    block = synthesize_ticks(frame, "SPX", ticks_per_bar=TICKS_PER_DAY, seed=SEED)
    for row, position in enumerate(positions):
        opens_at, closes_at = session_bounds(spx.index[position].date())
        breaker.start_session(spx["Close"].iloc[position - 1], opens_at, closes_at)
        for ns, price in zip(block.times_ns[row], block.prices[row], strict=True):
            breaker.on_index_price(float(price), _ns_to_utc(ns))


@pytest.fixture(scope="module")
def spx() -> pd.DataFrame:
    return load_bundled("SPX")


@pytest.fixture(scope="module")
def crash_replay(spx: pd.DataFrame) -> list[BreakerTransition]:
    """The four crash days, each followed by the next session so recovery can finish."""
    wanted = pd.DatetimeIndex(CRASH_DAYS)
    following = spx.index[spx.index.get_indexer(wanted) + 1]
    days = wanted.union(following)
    breaker = MarketWideBreaker()
    replay(spx, days, breaker)
    return breaker.machine.history


def test_the_crash_days_are_the_closes_down_seven_percent(spx: pd.DataFrame) -> None:
    falls = spx["Close"].pct_change()
    assert [d.strftime("%Y-%m-%d") for d in falls[falls <= -0.07].index] == CRASH_DAYS


def test_every_crash_day_trips_the_market_wide_breaker(
    crash_replay: list[BreakerTransition],
) -> None:
    trips = [t for t in crash_replay if t.rule.startswith("mwcb_level_")]
    trip_days = {t.at.date().isoformat() for t in trips}
    assert set(CRASH_DAYS) <= trip_days
    for t in trips:
        assert t.to_level is Permission.CLOSED
        assert t.figures["fall"] >= t.figures["threshold"]
        assert "SPX (the S&P 500 index)" in t.reason and "fell" in t.reason
        assert "below its previous closing price" in t.reason
        assert "level" not in t.reason  # "level 1" means nothing to a learner: figures say it


def test_each_level_fires_at_most_once_a_day(crash_replay: list[BreakerTransition]) -> None:
    counts = Counter(
        (t.at.date(), t.rule) for t in crash_replay if t.rule.startswith("mwcb_level_")
    )
    assert counts and max(counts.values()) == 1


def test_recovery_passes_through_restricted_and_cautious_after_cooldowns(
    crash_replay: list[BreakerTransition],
) -> None:
    for day in CRASH_DAYS:
        trip = next(
            t for t in crash_replay if t.at.date().isoformat() == day and t.rule == "mwcb_level_1"
        )
        after = [t for t in crash_replay if t.at > trip.at]
        path = [trip]
        for t in after:
            path.append(t)
            if t.to_level is Permission.OPEN or t.kind is TransitionKind.ESCALATE:
                break
        levels = [t.to_level for t in path]
        assert levels == [
            Permission.CLOSED,
            Permission.RESTRICTED,
            Permission.CAUTIOUS,
            Permission.OPEN,
        ], (day, levels)
        # The 15-minute halt, then one cooldown per level.
        assert path[1].at - trip.at >= timedelta(minutes=15)
        assert path[2].at - path[1].at >= timedelta(minutes=15)
        assert path[3].at - path[2].at >= timedelta(minutes=15)
        assert all(t.kind is TransitionKind.STEP_DOWN for t in path[1:])


def test_a_fall_through_two_levels_fires_the_deepest_and_uses_up_the_first() -> None:
    breaker = MarketWideBreaker()
    opens_at, closes_at = session_bounds(datetime(2008, 10, 15).date())
    breaker.start_session(1000.0, opens_at, closes_at)
    first = breaker.on_index_price(860.0, opens_at + timedelta(minutes=5))
    assert first is not None and first.rule == "mwcb_level_2"
    assert first.reopen_at == opens_at + timedelta(minutes=20)
    assert breaker.on_index_price(925.0, opens_at + timedelta(minutes=40)) is not None  # step down
    assert all(t.rule != "mwcb_level_1" for t in breaker.machine.history)
    third = breaker.on_index_price(790.0, opens_at + timedelta(minutes=50))
    assert third is not None and third.rule == "mwcb_level_3"
    assert third.reopen_at == closes_at
    assert "rest of the session" in third.reason


def test_a_stale_feed_closes_the_market_until_prices_flow() -> None:
    breaker = MarketWideBreaker()
    opens_at, closes_at = session_bounds(datetime(2017, 6, 1).date())
    breaker.start_session(2400.0, opens_at, closes_at)
    breaker.on_index_price(2401.0, opens_at)
    assert breaker.on_clock(opens_at + timedelta(seconds=90)) is None
    stale = breaker.on_clock(opens_at + timedelta(minutes=3))
    assert stale is not None and stale.rule == "stale_feed" and stale.to_level is Permission.CLOSED
    # A lasting condition: it says what must change, not a time that moves with every minute.
    assert stale.reopen_at is None and "SPX (the S&P 500 index)" in stale.reason
    assert breaker.machine.state.condition == "prices for SPX arrive again"
    assert breaker.on_clock(closes_at + timedelta(hours=1)) is not None  # session over: steps down


def test_admin_halt_holds_until_resume() -> None:
    breaker = MarketWideBreaker()
    opens_at, closes_at = session_bounds(datetime(2017, 6, 1).date())
    breaker.start_session(2400.0, opens_at, closes_at)
    halt = breaker.halt(opens_at + timedelta(minutes=1), by="ops")
    assert halt.to_level is Permission.CLOSED
    for minute in range(2, 120):
        breaker.on_index_price(2400.0, opens_at + timedelta(minutes=minute))
    assert breaker.level is Permission.CLOSED
    resume = breaker.resume(opens_at + timedelta(minutes=121), by="ops")
    assert resume.to_level is Permission.OPEN and breaker.level is Permission.OPEN
