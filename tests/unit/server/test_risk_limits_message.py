"""The limits in force travel to every process on `risk-limits` whole: with the guardian's limits
that bind all the minor's accounts together (`together`), or without them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from keel.risk import AccountRiskConfig, limits_in_force
from keel.server.account_risk.applying import limits_from_message, limits_message

GUARDIAN = replace(
    AccountRiskConfig(),
    daily_loss_limit=Decimal("0.03"),
    stoploss_trades=2,
    stoploss_window=timedelta(hours=12),
)


@pytest.mark.parametrize(
    "config",
    [
        AccountRiskConfig(),
        limits_in_force(AccountRiskConfig(loss_streak=None), GUARDIAN, "your guardian Ada"),
    ],
)
def test_limits_survive_the_message(config: AccountRiskConfig) -> None:
    account_id, received = limits_from_message(limits_message("a1", config))
    assert account_id == "a1" and received == config
