"""Adapter to the engine's fill model, so a backtest fills exactly as live trading does.

The runner's hot loop works on floats; the engine works on Decimal. `FillRule` asks the engine for
the rule once per fill (fills are rare next to bars) when `keel.engine` provides it, and otherwise
applies the same documented rule locally: a buy pays the reference price × (1 + spread/2 +
slippage), a sell receives × (1 − spread/2 − slippage), and commission is a fraction of notional.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from keel.backtest.settings import ExecutionSettings


def _engine_hooks() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """The engine's (fill_price, commission) functions when the engine exposes them."""
    try:
        module = importlib.import_module("keel.engine.fills")
    except ImportError:
        return None
    price = getattr(module, "fill_price_float", None)
    commission = getattr(module, "commission_float", None)
    if callable(price) and callable(commission):
        return price, commission
    return None


@dataclass(frozen=True)
class FillRule:
    """Price and commission of one fill; floats in, floats out (prices and cash per unit/notional)."""

    spread: float
    slippage: float
    commission_rate: float

    @classmethod
    def from_settings(cls, settings: ExecutionSettings) -> FillRule:
        return cls(settings.spread, settings.slippage, settings.commission)

    def price(self, direction: float, reference: float) -> float:
        """Fill price of a buy (direction > 0) or sell (direction < 0) at `reference`."""
        hooks = _ENGINE
        if hooks is not None:
            return float(hooks[0](direction, reference, self.spread, self.slippage))
        if self.spread == 0.0 and self.slippage == 0.0:
            return reference
        adverse = self.spread / 2 + self.slippage
        return reference * (1 + adverse) if direction > 0 else reference * (1 - adverse)

    def commission(self, quantity: float, price: float) -> float:
        """Commission in cash for filling `quantity` units (sign ignored) at `price`."""
        hooks = _ENGINE
        if hooks is not None:
            return float(hooks[1](quantity, price, self.commission_rate))
        return abs(quantity) * price * self.commission_rate


_ENGINE = _engine_hooks()
