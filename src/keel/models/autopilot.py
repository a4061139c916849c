"""Autopilot's plan: what one account should trade in one symbol on one day, given the signal.

The rule is the one the signal backtests use (`keel.models.trading`), long only:

- a signal less confident than the optimizer's threshold for the day's regime keeps what is held;
- a confident "up" aims at the optimizer's position size (volatility targeting times the regime's
  multiplier, `keel.risk.sizing.position_size`) and buys what is missing, never sells;
- a confident "down" sells what is held, to flat.

The plan is only a wish: the order it makes meets the same order gate as a person's (breakers,
buying power, minors' rules and guardian approval), which may cut or refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from keel.domain.enums import OrderSide, Regime
from keel.domain.instruments import instrument_label
from keel.domain.money import format_quantity, to_money, to_quantity
from keel.models.hybrid import Signal
from keel.risk.sizing import SizingParameters, position_size

MIN_ORDER_VALUE = Decimal("1.00")
"""A difference worth less than this (cash) is not worth an order."""


class PlanAction(StrEnum):
    BUY = "buy"
    SELL = "sell"
    HOLD = "hold"


@dataclass(frozen=True)
class TradePlan:
    """What autopilot wants: an action, the units (0 when holding), and why in plain words."""

    action: PlanAction
    quantity: Decimal
    reason: str
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def side(self) -> OrderSide | None:
        if self.action is PlanAction.BUY:
            return OrderSide.BUY
        if self.action is PlanAction.SELL:
            return OrderSide.SELL
        return None


@dataclass(frozen=True)
class Holding:
    """What the account has and what the market says now: units held, equity (cash), price."""

    held: Decimal
    equity: Decimal
    price: Decimal


def plan_trade(
    symbol: str,
    signal: Signal,
    threshold: float,
    holding: Holding,
    forecast_vol: float,
    sizing: SizingParameters,
) -> TradePlan:
    """The trade for `signal` (P(up) of the next days) in `symbol`; `threshold` is the optimizer's
    confidence threshold for the signal's regime, `forecast_vol` the annualised volatility the
    size aims against."""
    name = instrument_label(symbol)
    chance = f"{signal.probability_up * 100:.0f} %"
    figures = {
        "probability_up": f"{signal.probability_up:.4f}",
        "confidence": f"{signal.confidence:.4f}",
        "confidence_threshold": f"{threshold:.4f}",
        "regime": signal.regime.name,
        "held_units": str(holding.held),
        "price": str(to_money(holding.price)),
    }
    if signal.confidence < threshold:
        return TradePlan(
            PlanAction.HOLD,
            Decimal(0),
            f"The model gives {name} a {chance} chance of going up: not sure enough to trade "
            f"(in a {_regime_words(signal.regime)} market autopilot waits for "
            f"{threshold * 100:.0f} % either way), so it keeps what you hold.",
            figures,
        )
    if signal.direction == "down":
        if holding.held <= 0:
            return TradePlan(
                PlanAction.HOLD,
                Decimal(0),
                f"The model expects {name} to fall ({chance} chance of going up) and you hold "
                "none, so there is nothing to sell.",
                figures,
            )
        return TradePlan(
            PlanAction.SELL,
            holding.held,
            f"The model expects {name} to fall ({chance} chance of going up), so autopilot "
            f"sells the {format_quantity(holding.held)} units you hold.",
            figures,
        )
    target = position_size(holding.equity, holding.price, forecast_vol, signal.regime, sizing)
    figures |= {
        "target_units": str(target),
        "forecast_vol": f"{forecast_vol:.4f}",
        "size_multiplier": f"{sizing.regime_multipliers[signal.regime]:.4f}",
        "equity": str(to_money(holding.equity)),
    }
    missing = to_quantity(target - holding.held)
    if missing <= 0 or missing * holding.price < MIN_ORDER_VALUE:
        return TradePlan(
            PlanAction.HOLD,
            Decimal(0),
            f"The model expects {name} to rise ({chance} chance), and you already hold the "
            f"{format_quantity(target)} units the optimizer sizes for a "
            f"{_regime_words(signal.regime)} market, so autopilot buys nothing more.",
            figures,
        )
    return TradePlan(
        PlanAction.BUY,
        missing,
        f"The model expects {name} to rise ({chance} chance), so autopilot buys "
        f"{format_quantity(missing)} units to hold {format_quantity(target)}, the size the "
        f"optimizer gives a {_regime_words(signal.regime)} market.",
        figures,
    )


def _regime_words(regime: Regime) -> str:
    return {
        Regime.LOW: "calm",
        Regime.NORMAL: "normal",
        Regime.HIGH: "stormy",
        Regime.EXTREME: "very stormy",
    }[regime]
