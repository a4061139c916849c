"""Autopilot as the API shows it: whether it is on, what it does, and what it decided."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from keel.server.market.schemas import DecimalStr

EXPLANATION = (
    "With autopilot on, Keel trades for this account once a market day: for each instrument a "
    "model has been trained for, it reads the model's signal from the last close and, when the "
    "model is sure enough, buys (up to the size the optimizer gives the market's mood) or sells "
    "what you hold. Its orders meet the same rules as yours: circuit breakers can make them "
    "smaller or stop them, and if you are under 18 each one waits for your guardian to approve "
    "it. Every decision, even doing nothing, is listed here with its reason."
)

Outcome = Literal["ordered", "waiting_for_guardian", "refused", "held"]


class AutopilotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool


class AutopilotDecisionOut(BaseModel):
    """What autopilot did for one instrument on one day, and why."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    account_id: str
    symbol: str
    signal_day: date
    """The last closed trading day the model's signal was read from."""
    outcome: Outcome
    """`ordered` (an order was placed), `waiting_for_guardian`, `refused` (the order gate said
    no, see `code`) or `held` (nothing to do)."""
    action: Literal["buy", "sell", "hold"]
    quantity: DecimalStr
    order_id: str | None
    reason: str
    """In plain words: what the model said, what autopilot wanted, what happened."""
    code: str | None
    """The refusal's problem type (`/problems/<code>`), when the order gate refused."""
    figures: dict[str, Any]
    model_version: str
    time: datetime
    """The scenario's market time."""


class AutopilotOut(BaseModel):
    account_id: str
    enabled: bool
    explanation: str = EXPLANATION
    decisions: list[AutopilotDecisionOut]
    """The latest decisions, newest first."""
