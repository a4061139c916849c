"""Position sizing: volatility targeting with a leverage cap, times a discrete regime multiplier.

    weight = min(leverage_cap, target_vol / forecast_vol) × multiplier[regime]
    quantity = equity × weight / price            (units, rounded down to the quantity grid)

Volatilities are annualised fractions (0.10 = 10 % a year); a weight is the position's value as a
fraction of equity (1.0 = fully invested, no leverage). Floats stay inside the analytics; money
crosses into `Decimal` once, in `position_size`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from keel.domain.enums import Regime
from keel.domain.money import parse_decimal, to_quantity
from keel.volatility.estimators import ewma_vol
from keel.volatility.returns import TRADING_DAYS_PER_YEAR

DEFAULT_REGIME_MULTIPLIERS: Mapping[Regime, float] = MappingProxyType(
    {Regime.LOW: 1.0, Regime.NORMAL: 1.0, Regime.HIGH: 0.5, Regime.EXTREME: 0.25}
)
"""Share of the volatility-targeted weight kept in each regime."""


@dataclass(frozen=True, slots=True)
class SizingParameters:
    """Inputs of the sizing formula."""

    target_vol: float = 0.10
    leverage_cap: float = 1.0
    regime_multipliers: Mapping[Regime, float] = field(
        default_factory=lambda: DEFAULT_REGIME_MULTIPLIERS
    )

    def __post_init__(self) -> None:
        if self.target_vol <= 0 or self.leverage_cap <= 0:
            raise ValueError("target_vol and leverage_cap must be positive")
        check_multipliers(self.regime_multipliers)


def check_multipliers(multipliers: Mapping[Regime, float]) -> None:
    """Refuse multipliers that are missing, outside [0, 1] or not falling as the regime worsens."""
    missing = [r.name for r in Regime if r not in multipliers]
    if missing:
        raise ValueError(f"regime multipliers lack {', '.join(missing)}")
    values = [multipliers[r] for r in sorted(Regime)]
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise ValueError("regime multipliers must lie in [0, 1]")
    if any(later > earlier for earlier, later in pairwise(values)):
        raise ValueError("regime multipliers must not grow as the regime worsens")


def vol_target_weight(forecast_vol: float, target_vol: float, leverage_cap: float) -> float:
    """Weight (fraction of equity) that aims at `target_vol`, capped at `leverage_cap`.

    An unknown or non-positive forecast gives 0 (no position without a volatility estimate).
    """
    if not math.isfinite(forecast_vol) or forecast_vol <= 0:
        return 0.0
    return min(leverage_cap, target_vol / forecast_vol)


def regime_weight(forecast_vol: float, regime: Regime, params: SizingParameters) -> float:
    """The volatility-targeted weight times the regime's multiplier (fraction of equity)."""
    base = vol_target_weight(forecast_vol, params.target_vol, params.leverage_cap)
    return base * params.regime_multipliers[regime]


def position_size(
    equity: Decimal,
    price: Decimal,
    forecast_vol: float,
    regime: Regime,
    params: SizingParameters | None = None,
) -> Decimal:
    """Units to hold: equity (cash) × regime weight / price (currency per unit), rounded down."""
    params = params or SizingParameters()
    if price <= 0:
        raise ValueError("price must be positive")
    if equity <= 0:
        return Decimal(0)
    weight = parse_decimal(regime_weight(forecast_vol, regime, params), field="weight")
    return to_quantity(equity * weight / price)


def vol_target_weights(
    close: pd.Series,
    target_vol: float = 0.10,
    leverage_cap: float = 1.0,
    lam: float = 0.94,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> pd.Series:
    """Walk-forward weights: the weight held over bar t uses EWMA vol known at the close of t-1.

    Element 0 (no return yet) and bars before a usable forecast get weight 0.
    """
    forecast = ewma_vol(close.to_numpy(float), lam=lam, periods_per_year=periods_per_year)
    known_before = pd.Series(forecast, index=close.index).shift(1)
    weights = [vol_target_weight(v, target_vol, leverage_cap) for v in known_before.to_numpy()]
    return pd.Series(weights, index=close.index, name="weight")


@dataclass(frozen=True, slots=True)
class StrategyFigures:
    """Performance of a daily return series: annualised vol and Sharpe (no risk-free rate), worst
    peak-to-trough fall of the compounded equity (−0.4 = −40 %) and total return."""

    realized_vol: float
    sharpe: float
    max_drawdown: float
    total_return: float


def strategy_figures(
    returns: npt.ArrayLike, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> StrategyFigures:
    """Figures of simple daily returns (0.01 = 1 %)."""
    values = np.nan_to_num(np.asarray(returns, dtype=float))
    deviation = float(values.std(ddof=1))
    mean = float(values.mean())
    equity = np.cumprod(1.0 + values)
    drawdown = float((equity / np.maximum.accumulate(equity) - 1.0).min())
    sharpe = mean / deviation * math.sqrt(periods_per_year) if deviation > 0 else 0.0
    return StrategyFigures(
        realized_vol=deviation * math.sqrt(periods_per_year),
        sharpe=sharpe,
        max_drawdown=drawdown,
        total_return=float(equity[-1] - 1.0),
    )


def vol_targeted_returns(close: pd.Series, weights: pd.Series) -> pd.Series:
    """Daily simple returns of holding `weights` of the asset (rebalanced each close, no costs)."""
    asset = close.pct_change().fillna(0.0)
    return (asset * weights.reindex(close.index).fillna(0.0)).rename("strategy")
