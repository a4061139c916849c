"""A minor's own limits and their guardian's: the tighter binds, rule by rule, and names who set it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from keel.domain.enums import Permission
from keel.risk import (
    AccountBreaker,
    AccountFigures,
    AccountRiskConfig,
    ClosedTrade,
    limits_in_force,
    looser_rules,
)

T0 = datetime(2008, 10, 6, 15, tzinfo=UTC)
GUARDIAN = "your guardian Ada"
OFF = AccountRiskConfig(
    daily_loss_limit=None, max_drawdown=None, stoploss_trades=None, loss_streak=None
)


def replace_off(**changes: object) -> AccountRiskConfig:
    """Guardian limits with every rule off except `changes`."""
    return replace(OFF, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("own", "guardian", "expected", "guardian_rules"),
    [
        # No guardian limits: the holder's own.
        (AccountRiskConfig(), None, AccountRiskConfig(), []),
        # The guardian's tighter daily loss wins; the holder's tighter drawdown stays theirs.
        (
            AccountRiskConfig(max_drawdown=D("0.10")),
            replace_off(daily_loss_limit=D("0.02")),
            AccountRiskConfig(daily_loss_limit=D("0.02"), max_drawdown=D("0.10")),
            ["daily_loss"],
        ),
        # The holder turned a rule off; the guardian's is on: the guardian's applies.
        (
            OFF,
            replace_off(stoploss_trades=2, stoploss_window=timedelta(hours=12)),
            AccountRiskConfig(
                daily_loss_limit=None,
                max_drawdown=None,
                loss_streak=None,
                stoploss_trades=2,
                stoploss_window=timedelta(hours=12),
            ),
            ["stoploss_guard"],
        ),
        # Both on: field by field, fewer losses and the longer cooldown.
        (
            AccountRiskConfig(loss_streak=2, loss_cooldown=timedelta(minutes=10)),
            replace_off(loss_streak=4, loss_cooldown=timedelta(hours=1)),
            AccountRiskConfig(loss_streak=2, loss_cooldown=timedelta(hours=1)),
            ["loss_cooldown"],
        ),
        # Equal limits: the guardian's word (it binds either way).
        (
            AccountRiskConfig(),
            replace_off(daily_loss_limit=D("0.05")),
            AccountRiskConfig(),
            ["daily_loss"],
        ),
    ],
)
def test_the_tighter_limit_binds(
    own: AccountRiskConfig,
    guardian: AccountRiskConfig | None,
    expected: AccountRiskConfig,
    guardian_rules: list[str],
) -> None:
    merged = limits_in_force(own, guardian, GUARDIAN)
    for name in (
        "daily_loss_limit",
        "daily_loss_lock",
        "max_drawdown",
        "drawdown_lock",
        "stoploss_trades",
        "stoploss_window",
        "stoploss_lock",
        "loss_streak",
        "loss_cooldown",
    ):
        assert getattr(merged, name) == getattr(expected, name), name
    rules = ("daily_loss", "drawdown", "stoploss_guard", "loss_cooldown")
    assert [r for r in rules if merged.who_set(r) == GUARDIAN] == guardian_rules
    assert all(merged.who_set(r) == "account holder" for r in rules if r not in guardian_rules)


@pytest.mark.parametrize(
    ("own", "looser"),
    [
        (AccountRiskConfig(daily_loss_limit=D("0.03"), stoploss_trades=2), []),
        (AccountRiskConfig(daily_loss_limit=D("0.04"), stoploss_trades=2), ["daily_loss"]),
        (AccountRiskConfig(daily_loss_limit=None, stoploss_trades=2), ["daily_loss"]),
        (AccountRiskConfig(daily_loss_limit=D("0.03")), ["stoploss_guard"]),
        (
            AccountRiskConfig(
                daily_loss_limit=D("0.03"), stoploss_trades=2, stoploss_window=timedelta(hours=1)
            ),
            ["stoploss_guard"],
        ),
    ],
)
def test_a_minor_may_not_loosen_the_guardians_limits(
    own: AccountRiskConfig, looser: list[str]
) -> None:
    guardian = replace_off(daily_loss_limit=D("0.03"), stoploss_trades=2)
    assert looser_rules(own, guardian) == looser


def test_every_reason_names_who_set_the_limit() -> None:
    guardian = replace_off(
        daily_loss_limit=D("0.025"), stoploss_trades=2, stoploss_window=timedelta(hours=8)
    )
    config = limits_in_force(AccountRiskConfig(), guardian, GUARDIAN)
    breaker = AccountBreaker("minor-1", config)
    stops = [ClosedTrade("SPX", T0 - timedelta(hours=h), D("-4"), by_stop=True) for h in (7, 1)]
    figures = AccountFigures(D("9800"), D("10000"), D("10000"))
    transition = breaker.observe(figures, stops, T0)
    assert transition is not None and breaker.level is Permission.RESTRICTED
    # A 2 % loss is under the guardian's 2.5 %: only the stop-loss guard trips.
    assert transition.rule == "stoploss_guard"
    assert "2 stop-loss exits in the last 8 h (limit 2, set by your guardian Ada)" in (
        transition.reason
    )
    worse = AccountFigures(D("9700"), D("10000"), D("10000"))
    later = breaker.observe(worse, [], T0 + timedelta(hours=3))
    assert breaker.level is Permission.RESTRICTED
    assert later is not None and later.rule == "daily_loss"
    assert "limit 2.5%, set by your guardian Ada" in later.reason
