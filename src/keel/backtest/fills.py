"""The fill rule of the fast loops: the live engine's fill model, called with floats.

With `money_grid` on, every fill asks `keel.engine.fills` (the very functions the live engine
uses) for its price and commission; fills are rare next to bars, so this costs little. With it off,
the same rule runs in plain floats without rounding, as backtesting.py computes it: the reference
price becomes a quote `spread` wide, a buy pays the ask × (1 + slippage), a sell gets the bid ×
(1 − slippage), commission is rate × notional.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from keel.backtest.settings import ExecutionSettings
from keel.domain.fills import cash_down, cash_up
from keel.domain.money import parse_decimal
from keel.engine.config import BPS, ExecutionConfig
from keel.engine.fills import commission_float, fill_price_float


@lru_cache(maxsize=65536)
def _engine_price(side: float, reference: float, spread: float, slippage: float) -> float:
    # Pure function of its inputs, so caching it is safe; sweeps hit the same opens again and again.
    return fill_price_float(side, reference, spread, slippage)


@lru_cache(maxsize=65536)
def _cash_rounding(units: float, price: float) -> float:
    notional = abs(parse_decimal(units)) * parse_decimal(price)
    if units > 0:
        return float(notional - cash_up(notional))
    return float(cash_down(notional) - notional)


def execution_config(settings: ExecutionSettings) -> ExecutionConfig:
    """The live engine's configuration for these settings (fractions become basis points)."""
    return ExecutionConfig(
        spread_bps=parse_decimal(settings.spread) * BPS,
        slippage_bps=parse_decimal(settings.slippage) * BPS,
        commission_bps=parse_decimal(settings.commission) * BPS,
    )


@dataclass(frozen=True)
class FillRule:
    """Price and commission of one fill; floats in, floats out (price per unit, commission in cash)."""

    spread: float
    slippage: float
    commission_rate: float
    money_grid: bool = False

    @classmethod
    def from_settings(
        cls, settings: ExecutionSettings, *, money_grid: bool | None = None
    ) -> FillRule:
        """The rule of `settings`; `money_grid` overrides theirs (the engine loop forces it on)."""
        grid = settings.money_grid if money_grid is None else money_grid
        return cls(settings.spread, settings.slippage, settings.commission, grid)

    def price(self, direction: float, reference: float) -> float:
        """Fill price of a buy (direction > 0) or sell (direction < 0) at `reference`."""
        if self.money_grid:
            side = 1.0 if direction > 0 else -1.0
            return _engine_price(side, float(reference), self.spread, self.slippage)
        if self.spread == 0.0 and self.slippage == 0.0:
            return reference
        half = self.spread / 2
        if direction > 0:
            return reference * (1 + half) * (1 + self.slippage)
        return reference * (1 - half) * (1 - self.slippage)

    def cash_rounding(self, units: float, price: float) -> float:
        """Cash (≤ 0) a fill of `units` (signed) at `price` loses to the engine's rounding of its
        cash to the cent: a buy's cost up, a sell's proceeds down. Zero off the money grid."""
        if not self.money_grid:
            return 0.0
        return _cash_rounding(units, price)

    def commission(self, quantity: float, price: float) -> float:
        """Commission in cash for one order filling `quantity` units (sign ignored) at `price`."""
        if self.commission_rate == 0.0:
            return 0.0
        if self.money_grid:
            return commission_float(quantity, price, self.commission_rate)
        return abs(quantity) * price * self.commission_rate
