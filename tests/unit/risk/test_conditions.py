"""Issue 8 part 4: condition-based levels say what must change; timed ones give a market hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from keel.domain.enums import Permission, Regime
from keel.risk.machine import BreakerMachine, BreakerPolicy
from keel.risk.sessions import in_market_hours
from keel.risk.symbol_breaker import SymbolBreaker
from keel.risk.transitions import CALM, Demand, Scope, TransitionKind

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)  # 10:00 New York
MIN = timedelta(minutes=1)
OP, C, R, X = Permission.OPEN, Permission.CAUTIOUS, Permission.RESTRICTED, Permission.CLOSED
STORM = {
    "ewma_vol": 0.632,
    "fast_vol": 0.7,
    "threshold_extreme": 0.396,
    "calm_limit": 0.3564,
    "calm_run": 10.0,
    "calm_count": 0.0,
}


def storm(level: Permission = R) -> Demand:
    return Demand(level, "regime_extreme", "a storm", {"ewma_vol": 0.63}, condition="it calms")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Inside a session: unchanged.
        (T0, T0),
        # 16:10 on Friday 2008-10-10 → Monday's open (09:30 New York = 13:30 UTC).
        (datetime(2008, 10, 10, 20, 10, tzinfo=UTC), datetime(2008, 10, 13, 13, 30, tzinfo=UTC)),
        # 00:33 UTC on 2008-11-11 (19:33 the evening before) → that morning's open.
        (datetime(2008, 11, 11, 0, 33, tzinfo=UTC), datetime(2008, 11, 11, 14, 30, tzinfo=UTC)),
        # Christmas Day → the next trading day.
        (datetime(2008, 12, 25, 15, 0, tzinfo=UTC), datetime(2008, 12, 26, 14, 30, tzinfo=UTC)),
    ],
)
def test_a_time_is_moved_inside_market_hours(moment: datetime, expected: datetime) -> None:
    assert in_market_hours(moment) == expected


def test_a_condition_holds_its_level_without_a_moving_time() -> None:
    m = BreakerMachine(Scope.SYMBOL, "SPX")
    first = m.observe(storm(), T0)
    assert first is not None and first.reopen_at is None and m.state.condition == "it calms"
    assert first.as_dict()["condition"] == "it calms"  # published with the transition
    for day in range(1, 30):
        assert m.observe(storm(), T0 + timedelta(days=day)) is None
        assert m.state.reopen_at is None and m.level is R
    # Cleared: the cooldown counts from the last observation that demanded the level.
    last = T0 + timedelta(days=29)
    eased = m.observe(Demand(C, "regime_high", "choppy", condition="calmer"), last + 40 * MIN)
    assert eased is not None and eased.kind is TransitionKind.STEP_DOWN and m.level is C
    assert m.state.condition == "calmer" and m.state.reopen_at is None


def test_a_jump_in_a_storm_closes_for_its_cooldown_then_returns_to_the_storm_level() -> None:
    m = BreakerMachine(Scope.SYMBOL, "GOOG")
    m.observe(storm(), T0)
    halts = []
    at = T0
    for _ in range(4):  # a jump every 80 min through the session: the first trip's cooldown each
        at += timedelta(minutes=80)
        jump = m.observe(Demand(X, "price_jump", "jumped", hold=timedelta(minutes=10)), at)
        assert jump is not None and jump.reopen_at is not None
        halts.append(jump.reopen_at - at)
        back = m.observe(storm(), at + 16 * MIN)
        assert back is not None and m.level is R and m.state.condition == "it calms"
    assert halts == [timedelta(minutes=15)] * 4


def test_backoff_still_grows_for_trips_close_together() -> None:
    m = BreakerMachine(Scope.SYMBOL, "GOOG", BreakerPolicy())
    m.observe(storm(), T0 - timedelta(hours=3))
    jump = Demand(X, "price_jump", "jumped", hold=timedelta(minutes=10))
    first = m.observe(jump, T0 + MIN)
    m.observe(storm(), T0 + 17 * MIN)
    second = m.observe(jump, T0 + 20 * MIN)
    assert first is not None and second is not None and second.reopen_at is not None
    assert second.reopen_at - second.at == timedelta(minutes=30)


def test_every_timed_reopening_is_inside_market_hours() -> None:
    m = BreakerMachine(Scope.MARKET, "market")
    late = datetime(2008, 10, 10, 19, 55, tzinfo=UTC)  # 15:55 New York, a Friday
    trip = m.observe(Demand(X, "mwcb_level_1", "fell", hold=timedelta(minutes=15)), late)
    assert trip is not None and trip.reopen_at == datetime(2008, 10, 13, 13, 30, tzinfo=UTC)
    assert m.observe(CALM, datetime(2008, 10, 13, 13, 29, tzinfo=UTC)) is None
    step = m.observe(CALM, datetime(2008, 10, 13, 13, 30, tzinfo=UTC))
    assert step is not None and step.to_level is R


def test_the_symbol_breaker_says_what_must_change_in_plain_words() -> None:
    breaker = SymbolBreaker("SPX")
    transition = breaker.observe_regime(Regime.EXTREME, T0, STORM)
    assert transition is not None and transition.reopen_at is None
    assert transition.reason.startswith("SPX (the S&P 500 index) is in a storm")
    assert "63%" in transition.reason and "40%" in transition.reason
    condition = breaker.machine.state.condition
    assert condition == (
        "SPX's volatility stays under 36% for 10 trading days in a row (now 63%; 0 of 10 days so far)"
    )
    assert transition.figures["ewma_vol"] == 0.632 and transition.figures["regime"] == "EXTREME"


def test_a_jump_reason_has_no_statistics_jargon() -> None:
    breaker = SymbolBreaker("GOOG")
    breaker.observe_price(100.0, T0, annualized_vol=0.3)
    jump = breaker.observe_price(95.0, T0 + 2 * MIN, annualized_vol=0.3)
    assert jump is not None and jump.rule == "price_jump"
    assert jump.reason.startswith("GOOG (Alphabet, Google's parent company) jumped -5.0% in 2 min")
    assert "standard deviation" not in jump.reason and jump.figures["sigmas"] > 6
