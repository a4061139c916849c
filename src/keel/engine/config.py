"""Execution settings: spread, slippage, commission and liquidity rules, as one frozen dataclass.

The server builds it from its settings and the backtester from a run's parameters; the engine never
reads configuration itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

BPS = Decimal(10000)
"""Basis points per unit: 1 bp = 0.01 %."""


@dataclass(frozen=True, slots=True)
class ExecutionConfig:
    """How simulated orders execute.

    - `slippage_bps`: a marketable order pays this much worse than the touch (bp of the touch price).
    - `spread_bps`: full bid/ask spread put around a bare price by `quote_from_price` (bp of price),
      for feeds that carry only a price (bar closes in a backtest).
    - `commission_per_unit`: cash per unit traded (e.g. 0.005 per share).
    - `commission_bps`: cash as bp of the traded notional.
    - `commission_minimum`: least commission one order pays in all (charged with its first fill).
    - `limit_to_touch_size`: fill at most the size quoted at the touch; the rest waits for later quotes.
    - `cancel_market_remainder`: cancel what a market (or triggered stop) order could not fill on the
      quote it met, instead of letting it wait (immediate-or-cancel behaviour).
    """

    slippage_bps: Decimal = Decimal("0")
    spread_bps: Decimal = Decimal("0")
    commission_per_unit: Decimal = Decimal("0")
    commission_bps: Decimal = Decimal("0")
    commission_minimum: Decimal = Decimal("0")
    limit_to_touch_size: bool = True
    cancel_market_remainder: bool = False

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool):
                continue
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(f"{spec.name} must be a finite, non-negative Decimal: {value!r}")
        if self.slippage_bps >= BPS or self.spread_bps >= BPS:
            raise ValueError("slippage and spread must be below 10,000 bp")
