"""Adapter to the engine's fill model, so a backtest fills exactly as live trading does.

The runner's hot loop works on floats; the engine works on Decimal. With `money_grid` on, every
fill asks `keel.engine.fills` (the very functions the live engine uses) for its price and
commission; fills are rare next to bars, so this costs little. With it off, the same rule runs in
plain floats without rounding: the reference price becomes a quote `spread` wide, a buy pays the
ask × (1 + slippage), a sell gets the bid × (1 − slippage), commission is rate × notional.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from keel.backtest.settings import ExecutionSettings

Hooks = tuple[Callable[..., Any], Callable[..., Any]]


def _engine_hooks() -> Hooks | None:
    """The engine's (fill_price_float, commission_float) when the engine provides them."""
    try:
        module = importlib.import_module("keel.engine.fills")
    except ImportError:
        return None
    price = getattr(module, "fill_price_float", None)
    commission = getattr(module, "commission_float", None)
    if callable(price) and callable(commission):
        return price, commission
    return None


_ENGINE = _engine_hooks()


@lru_cache(maxsize=65536)
def _engine_price(side: float, reference: float, spread: float, slippage: float) -> float:
    # Pure function of its inputs, so caching it is safe; sweeps hit the same opens again and again.
    assert _ENGINE is not None
    return float(_ENGINE[0](side, reference, spread, slippage))


def engine_available() -> bool:
    """True when `keel.engine` provides the float fill hooks (it always should)."""
    return _ENGINE is not None


@dataclass(frozen=True)
class FillRule:
    """Price and commission of one fill; floats in, floats out (price per unit, commission in cash)."""

    spread: float
    slippage: float
    commission_rate: float
    money_grid: bool = True

    @classmethod
    def from_settings(cls, settings: ExecutionSettings) -> FillRule:
        return cls(settings.spread, settings.slippage, settings.commission, settings.money_grid)

    def price(self, direction: float, reference: float) -> float:
        """Fill price of a buy (direction > 0) or sell (direction < 0) at `reference`."""
        if self.money_grid and _ENGINE is not None:
            side = 1.0 if direction > 0 else -1.0
            return _engine_price(side, float(reference), self.spread, self.slippage)
        if self.spread == 0.0 and self.slippage == 0.0:
            return reference
        half = self.spread / 2
        if direction > 0:
            return reference * (1 + half) * (1 + self.slippage)
        return reference * (1 - half) * (1 - self.slippage)

    def commission(self, quantity: float, price: float) -> float:
        """Commission in cash for filling `quantity` units (sign ignored) at `price`."""
        if self.commission_rate == 0.0:
            return 0.0
        if self.money_grid and _ENGINE is not None:
            return float(_ENGINE[1](quantity, price, self.commission_rate))
        return abs(quantity) * price * self.commission_rate
