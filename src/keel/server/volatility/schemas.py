"""Volatility and risk parameters as the API shows them. Vols are annualised fractions
(0.20 = 20 % a year); times are market time (UTC)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AnomalyOut(BaseModel):
    kind: str
    at: datetime | None
    message: str
    figures: dict[str, float]


class GarchOut(BaseModel):
    """GARCH(1,1) parameters fitted on the history before the replay start (daily units)."""

    mu: float
    omega: float
    alpha: float
    beta: float
    sample_variance: float | None = None
    """Daily variance of the fitted returns; where the forecast starts when α + β ≥ 1."""


class VolatilityOut(BaseModel):
    symbol: str
    as_of: date | None
    """Date of the last completed daily bar the figures include."""
    regime: str
    confidence: float
    reason: str
    deciding_figures: dict[str, float]
    """What the classifier compared: EWMA and fast vol, the thresholds, the calm count."""
    estimators: dict[str, float | None]
    breaker_level: str
    """The symbol breaker's level (regime map and price jumps)."""
    garch: GarchOut | None
    recent_anomalies: list[AnomalyOut]


class RegimeChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    symbol: str
    from_regime: str | None
    to_regime: str
    confidence: float
    reason: str
    figures: dict[str, Any]
    at: datetime


class RegimeParametersOut(BaseModel):
    regime: str
    size_multiplier: float
    confidence_threshold: float
    lookback_days: int
    target_vol: float
    leverage_cap: float
    realized_vol: float | None
    samples: int
    fitted_on_until: datetime | None
    """Last bar the fit used (None: defaults, not enough history yet)."""


class RiskParametersOut(BaseModel):
    symbol: str
    as_of: date
    """The market date the parameters are in force for (walk-forward: fitted on earlier bars)."""
    regime: str
    current: RegimeParametersOut
    """The parameters of the symbol's current regime."""
    per_regime: list[RegimeParametersOut]
