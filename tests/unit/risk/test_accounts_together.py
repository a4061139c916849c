"""A minor's guardian limits that count or add up, judged on all the minor's accounts as one.

Each account keeps its own market's clock (accounts may trade in scenarios years apart): a trade
counts by how long ago it closed in its own market, and each account's "today" is its own
market's current session. The drawdown stays per account; without `together` (an adult, or no
guardian limits) every rule judges the account alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from keel.domain.enums import Permission
from keel.risk import (
    AccountActivity,
    AccountBreaker,
    AccountFigures,
    AccountRiskConfig,
    ClosedTrade,
    limits_in_force,
    together,
)

NOW_2008 = datetime(2008, 10, 6, 15, tzinfo=UTC)
NOW_2001 = datetime(2001, 3, 12, 18, tzinfo=UTC)
GUARDIAN = "your guardian Ada"
OFF = AccountRiskConfig(
    daily_loss_limit=None, max_drawdown=None, stoploss_trades=None, loss_streak=None
)
FLAT = AccountFigures(equity=D(10000), day_start_equity=D(10000), peak_equity=D(10000))
COUNTS_ALL = "this limit adds up all your accounts"


def _trade(at: datetime, pnl: str, *, by_stop: bool = False) -> ClosedTrade:
    return ClosedTrade("SPX", at, D(pnl), by_stop=by_stop)


def _minor(guardian: AccountRiskConfig) -> AccountBreaker:
    """A minor's account whose own limits are off: in force are the guardian's."""
    return AccountBreaker("a1", limits_in_force(OFF, guardian, GUARDIAN))


def test_together_adds_figures_and_times_each_trade_by_its_own_market() -> None:
    own = AccountActivity(FLAT, [_trade(NOW_2008 - timedelta(hours=2), "-5")], NOW_2008)
    other = AccountActivity(
        AccountFigures(D(4000), D(5000), D(6000)),
        [_trade(NOW_2001 - timedelta(hours=3), "7"), _trade(NOW_2001 - timedelta(hours=1), "-2")],
        NOW_2001,
    )
    combined = together(own, [other])
    assert combined.figures == AccountFigures(D(14000), D(15000), D(16000))
    assert combined.at == NOW_2008
    # On the 2008 clock, by age: 3 h ago (2001), 2 h ago (2008), 1 h ago (2001).
    assert [(t.closed_at, t.realized_pnl) for t in combined.trades] == [
        (NOW_2008 - timedelta(hours=3), D(7)),
        (NOW_2008 - timedelta(hours=2), D(-5)),
        (NOW_2008 - timedelta(hours=1), D(-2)),
    ]


def test_stop_exits_in_two_markets_add_up_for_a_minor_not_for_an_adult() -> None:
    guard = replace(OFF, stoploss_trades=2, stoploss_window=timedelta(hours=6))
    mine = [_trade(NOW_2008 - timedelta(hours=2), "-5", by_stop=True)]
    other = AccountActivity(
        FLAT, [_trade(NOW_2001 - timedelta(hours=1), "-3", by_stop=True)], NOW_2001
    )
    # An adult's own limits (no `together`): one stop exit here, under the limit of 2.
    adult = AccountBreaker("a1", limits_in_force(guard, None, GUARDIAN))
    assert adult.config.together is None
    assert adult.observe(FLAT, mine, NOW_2008, [other]) is None

    minor = _minor(guard)
    assert minor.config.together is not None and minor.config.together.set_by == GUARDIAN
    # Alone, the account is under the limit too.
    assert minor.observe(FLAT, mine, NOW_2008) is None
    transition = minor.observe(FLAT, mine, NOW_2008, [other])
    assert transition is not None and transition.rule == "stoploss_guard"
    assert transition.to_level is Permission.RESTRICTED
    assert transition.figures["stop_losses"] == 2 and transition.figures["accounts"] == 2
    assert "2 stop-loss exits in the last 6 h across your 2 accounts" in transition.reason
    assert GUARDIAN in transition.reason and COUNTS_ALL in transition.reason
    # The pause counts from the latest stop exit, 1 h ago in its own market: 1 h left.
    assert transition.reopen_at is not None
    assert transition.reopen_at >= NOW_2008 + timedelta(hours=1)


def test_a_stop_exit_older_than_the_window_in_its_own_market_does_not_count() -> None:
    guard = replace(OFF, stoploss_trades=2, stoploss_window=timedelta(hours=6))
    mine = [_trade(NOW_2008 - timedelta(hours=2), "-5", by_stop=True)]
    # 7 h ago in 2001's market: outside the 6 h window, though its 2001 date is long before.
    old = AccountActivity(
        FLAT, [_trade(NOW_2001 - timedelta(hours=7), "-3", by_stop=True)], NOW_2001
    )
    assert _minor(guard).observe(FLAT, mine, NOW_2008, [old]) is None


def test_a_streak_runs_across_accounts_in_the_order_the_trades_closed() -> None:
    streak = replace(OFF, loss_streak=2, loss_cooldown=timedelta(hours=1))
    mine = [_trade(NOW_2008 - timedelta(minutes=30), "-4")]
    lost = AccountActivity(FLAT, [_trade(NOW_2001 - timedelta(minutes=40), "-6")], NOW_2001)
    transition = _minor(streak).observe(FLAT, mine, NOW_2008, [lost])
    assert transition is not None and transition.rule == "loss_cooldown"
    assert transition.to_level is Permission.CAUTIOUS
    assert "2 losing trades in a row across your 2 accounts (together -10" in transition.reason
    assert COUNTS_ALL in transition.reason
    # A winning trade in the other account between the two losses breaks the streak.
    mixed = AccountActivity(
        FLAT,
        [
            _trade(NOW_2001 - timedelta(minutes=50), "-6"),
            _trade(NOW_2001 - timedelta(minutes=20), "8"),
        ],
        NOW_2001,
    )
    mine = [_trade(NOW_2008 - timedelta(minutes=40), "-4")]
    assert _minor(streak).observe(FLAT, mine, NOW_2008, [mixed]) is None


def test_the_daily_loss_adds_up_each_accounts_loss_in_its_own_markets_day() -> None:
    daily = replace(OFF, daily_loss_limit=D("0.05"))
    # This account lost 2 % since its market's session opened; the other lost 8 % of its day.
    mine = AccountFigures(equity=D(9800), day_start_equity=D(10000), peak_equity=D(10000))
    other = AccountActivity(AccountFigures(D(9200), D(10000), D(10000)), [], NOW_2001)
    assert _minor(daily).observe(mine, [], NOW_2008) is None
    transition = _minor(daily).observe(mine, [], NOW_2008, [other])
    assert transition is not None and transition.rule == "daily_loss"
    assert transition.to_level is Permission.RESTRICTED
    assert D(str(transition.figures["loss"])) == D("0.05")
    assert transition.figures["day_start_equity"] == "20000"
    assert "your 2 accounts together lost 5.0% today (limit 5%" in transition.reason
    assert COUNTS_ALL in transition.reason
    assert transition.condition is not None
    assert "your 2 accounts together are back within 5%" in transition.condition


def test_the_drawdown_stays_per_account() -> None:
    drawdown = replace(OFF, max_drawdown=D("0.10"))
    mine = AccountFigures(equity=D(9500), day_start_equity=D(9500), peak_equity=D(10000))
    deep = AccountActivity(AccountFigures(D(8000), D(8000), D(10000)), [], NOW_2001)
    # Together 17,500 of a 20,000 peak would be 12.5 % down: not judged together.
    assert _minor(drawdown).observe(mine, [], NOW_2008, [deep]) is None
