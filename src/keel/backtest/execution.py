"""From a strategy's orders to broker orders: sizing, direction and breaker caps, for every loop.

The fast loops and the engine loop share this code; only the broker differs (`Broker` prices fills
with the `FillRule`, `keel.backtest.live.EngineBroker` sends them to the live `ExecutionEngine`).
"""

from __future__ import annotations

import math

import numpy as np

from keel.backtest.broker import ALL_IN_FRACTION, Broker
from keel.backtest.regimes import periods_per_year, realised_vol
from keel.backtest.settings import ExecutionSettings, Sizing
from keel.backtest.strategy import Bars


class OrderExecutor:
    """Turns queued strategy orders into broker orders under the execution settings.

    `caps` is the per-bar new-exposure cap of the breakers (`regimes.breaker_levels`), or None when
    breakers are off; the cap of the bar a decision was taken on applies to its orders.
    """

    def __init__(
        self, broker: Broker, settings: ExecutionSettings, bars: Bars, caps: np.ndarray | None
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.caps = caps
        self.vol: np.ndarray | None = None
        if settings.sizing is Sizing.VOL_TARGET:
            per_year = periods_per_year(bars.index)
            self.vol = realised_vol(bars.close, settings.vol_lookback, per_year)

    def execute(
        self, orders: list[tuple[str, float]], reference: float, bar: int, decided: int
    ) -> None:
        """Fill `orders` (decided at the close of bar `decided`) at `reference` on `bar`."""
        broker = self.broker
        for kind, size in orders:
            if kind == "close":
                broker.close_all(reference, bar)
                continue
            direction = 1.0 if kind == "buy" else -1.0
            if direction < 0 and not self.settings.long_short:
                held = broker.position_size()
                if held > 0:
                    broker.market(-(held if math.isnan(size) else min(size, held)), reference, bar)
                continue
            units = self._units(direction, reference, decided) if math.isnan(size) else size
            if units > 0:
                leverage = self.settings.max_leverage
                broker.market(direction * units, reference, bar, leverage, self._cap(decided))

    def _cap(self, decided: int) -> float | None:
        """The breakers' new-exposure cap for orders decided on bar `decided` (None: no cap)."""
        if self.caps is None:
            return None
        cap = float(self.caps[decided])
        return None if math.isnan(cap) else cap

    def _units(self, direction: float, reference: float, decided: int) -> float:
        settings = self.settings
        if settings.sizing is Sizing.FIXED:
            return settings.units
        if settings.sizing is Sizing.VOL_TARGET:
            assert self.vol is not None
            vol = self.vol[decided]
            if not vol > 0:
                return 0.0
            fraction = min(settings.max_leverage, settings.target_vol / vol)
            return self.broker.units_for(direction, reference, fraction)
        fraction = settings.fraction if settings.sizing is Sizing.FRACTION else 1.0
        return self.broker.units_for(direction, reference, min(fraction, ALL_IN_FRACTION))
