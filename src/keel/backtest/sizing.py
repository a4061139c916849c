"""Adapter to the risk layer's regime-aware position sizing (`keel.risk.sizing`).

weight = min(leverage_cap, target_vol / forecast_vol) × multiplier[regime], a fraction of equity.
The risk layer owns the formula and the multipliers; if it cannot be imported the same formula runs
here with its documented default multipliers, so a backtest never blocks on it.
"""

from __future__ import annotations

import math

from keel.domain.enums import Regime

FALLBACK_MULTIPLIERS = {Regime.LOW: 1.0, Regime.NORMAL: 1.0, Regime.HIGH: 0.5, Regime.EXTREME: 0.25}

try:
    from keel.risk.sizing import SizingParameters, regime_weight
except ImportError:  # pragma: no cover - the risk layer is part of the core
    SizingParameters = None  # type: ignore[assignment,misc]
    regime_weight = None  # type: ignore[assignment]


def regime_exposure(
    regime: int, forecast_vol: float, target_vol: float = 0.15, leverage_cap: float = 1.0
) -> float:
    """Fraction of equity (0 … leverage_cap) to hold in `regime` given the forecast annual vol."""
    if regime_weight is not None and SizingParameters is not None:
        params = SizingParameters(target_vol=target_vol, leverage_cap=leverage_cap)
        return float(regime_weight(forecast_vol, Regime(regime), params))
    if not math.isfinite(forecast_vol) or forecast_vol <= 0:
        return 0.0
    return min(leverage_cap, target_vol / forecast_vol) * FALLBACK_MULTIPLIERS[Regime(regime)]
