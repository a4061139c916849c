"""Trained models as the API shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ModelOut(BaseModel):
    """One stored model: what it was trained on and its out-of-sample scorecard."""

    symbol: str
    version: str = Field(description="hash of the data range, parameters, seed and code version")
    data_from: str = Field(description="first day of the history it was trained on")
    data_to: str = Field(description="last day of the history it was trained on")
    features: list[str]
    parameters: dict[str, Any]
    seed: int
    code_version: str
    scorecard: dict[str, Any] = Field(
        description="the walk-forward scorecard, as `keel evaluate --json` writes it"
    )


class FeatureOut(BaseModel):
    feature: str
    log_odds: float = Field(
        description="how much this feature pushed the logistic member up (+) or down (−)"
    )


class SignalOut(BaseModel):
    """The hybrid's latest signal for one symbol of a scenario, and why."""

    symbol: str
    scenario: str
    model_version: str
    model_data_to: str = Field(description="the model saw no day after this one")
    as_of: str = Field(description="the last completed trading day the signal is computed from")
    probability_up: float = Field(description="chance the next close is higher, 0 … 1")
    confidence: float = Field(description="max(probability_up, 1 − probability_up)")
    direction: str = Field(description="up or down")
    regime: str
    votes: dict[str, float] = Field(description="each member's probability of up")
    weights: dict[str, float] = Field(description="each member's weight in this regime")
    top_features: list[FeatureOut]
    used_quantum: bool
    note: str = Field(description="why the quantum circuit was left out, if it was")
