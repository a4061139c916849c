"""Autopilot's plan from one signal: hold when unsure, buy up to the optimizer's size on a
confident up, sell to flat on a confident down (long only, never short)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keel.domain.enums import Regime
from keel.models.autopilot import Holding, PlanAction, plan_trade
from keel.models.hybrid import Signal
from keel.risk.sizing import SizingParameters, position_size

SIZING = SizingParameters(target_vol=0.10, leverage_cap=1.0)
PRICE = Decimal("100")
EQUITY = Decimal("10000")


def signal(p_up: float, regime: Regime = Regime.NORMAL) -> Signal:
    return Signal(p_up, max(p_up, 1 - p_up), "up" if p_up >= 0.5 else "down", regime, {}, {}, [],
                  True, "")  # fmt: skip


# (P(up), units held, expected action, expected units); threshold 0.55, forecast vol 20 %:
# the optimizer's size is 10 % / 20 % = half the equity = 50 units at 100.
CASES = [
    (0.53, Decimal(0), PlanAction.HOLD, Decimal(0)),  # unsure: keep what is held
    (0.47, Decimal(30), PlanAction.HOLD, Decimal(0)),  # unsure the other way
    (0.60, Decimal(0), PlanAction.BUY, Decimal(50)),  # confident up from flat
    (0.60, Decimal(20), PlanAction.BUY, Decimal(30)),  # tops up to the size
    (0.60, Decimal(50), PlanAction.HOLD, Decimal(0)),  # already at the size
    (0.60, Decimal(80), PlanAction.HOLD, Decimal(0)),  # above it: never sells on an up call
    (0.40, Decimal(30), PlanAction.SELL, Decimal(30)),  # confident down: to flat
    (0.40, Decimal(0), PlanAction.HOLD, Decimal(0)),  # nothing to sell, never short
]


@pytest.mark.parametrize(("p_up", "held", "action", "units"), CASES)
def test_plan(p_up: float, held: Decimal, action: PlanAction, units: Decimal) -> None:
    plan = plan_trade("SPX", signal(p_up), 0.55, Holding(held, EQUITY, PRICE), 0.20, SIZING)
    assert (plan.action, plan.quantity) == (action, units)
    assert "SPX" in plan.reason and plan.figures["confidence_threshold"] == "0.5500"


def test_the_size_is_the_optimizers_and_shrinks_with_the_regime() -> None:
    calm = plan_trade("SPX", signal(0.7), 0.55, Holding(Decimal(0), EQUITY, PRICE), 0.2, SIZING)
    storm = plan_trade(
        "SPX", signal(0.7, Regime.EXTREME), 0.55, Holding(Decimal(0), EQUITY, PRICE), 0.2, SIZING
    )
    assert calm.quantity == position_size(EQUITY, PRICE, 0.2, Regime.NORMAL, SIZING)
    assert storm.quantity == position_size(EQUITY, PRICE, 0.2, Regime.EXTREME, SIZING)
    assert storm.quantity == calm.quantity / 4  # the EXTREME multiplier, 0.25
    assert "very stormy" in storm.reason


def test_a_difference_worth_less_than_a_unit_of_cash_is_no_order() -> None:
    held = Decimal("49.995")  # 0.005 units short of 50: worth 0.50
    plan = plan_trade("SPX", signal(0.6), 0.55, Holding(held, EQUITY, PRICE), 0.20, SIZING)
    assert plan.action is PlanAction.HOLD
