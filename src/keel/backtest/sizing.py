"""Adapter to the risk layer's regime-aware sizing (keel.risk), with the documented fallback.

`regime_exposure(regime)` is the fraction of equity a regime-aware strategy may hold. When
`keel.risk` exposes `exposure_for_regime(Regime) -> float`, its optimizer decides; otherwise full
size in LOW/NORMAL, half in HIGH and none in EXTREME (the breaker's CAUTIOUS/RESTRICTED rule).
"""

from __future__ import annotations

import importlib

from keel.domain.enums import Regime

FALLBACK_EXPOSURE = {Regime.LOW: 1.0, Regime.NORMAL: 1.0, Regime.HIGH: 0.5, Regime.EXTREME: 0.0}


def regime_exposure(regime: int) -> float:
    """Fraction of equity (0–1) to hold in `regime`."""
    try:
        risk = importlib.import_module("keel.risk")
    except ImportError:  # pragma: no cover - the risk package is part of the core
        risk = None
    hook = getattr(risk, "exposure_for_regime", None)
    if callable(hook):
        return float(hook(Regime(regime)))
    return FALLBACK_EXPOSURE[Regime(regime)]
