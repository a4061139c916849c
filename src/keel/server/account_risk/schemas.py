"""Per-account risk limits as the API takes and shows them: percentages, counts and minutes.

A rule given as null is off. Omitted fields take the platform defaults (5 % daily loss, 25 %
drawdown, 3 stop exits in 6 h pausing 2 h, 3 losing trades cooling down 30 min).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from keel.server.market.schemas import DecimalStr

MAX_MINUTES = 7 * 24 * 60
"""A week: the longest window, pause or cooldown."""

Percent = Annotated[
    Decimal, Field(gt=0, le=100, decimal_places=2, allow_inf_nan=False, examples=["5"])
]


class StopLossGuard(BaseModel):
    """`stop_exits` losing stop exits within `window_minutes` pause new positions."""

    model_config = ConfigDict(extra="forbid")
    stop_exits: int = Field(default=3, ge=1, le=100)
    window_minutes: int = Field(default=360, ge=1, le=MAX_MINUTES)
    pause_minutes: int = Field(default=120, ge=1, le=MAX_MINUTES)


class LossCooldown(BaseModel):
    """`losing_trades` losing trades in a row cap new positions for `cooldown_minutes`."""

    model_config = ConfigDict(extra="forbid")
    losing_trades: int = Field(default=3, ge=1, le=100)
    cooldown_minutes: int = Field(default=30, ge=1, le=MAX_MINUTES)


class RiskLimitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    daily_loss_pct: Percent | None = Field(
        default=Decimal("5"),
        description="Loss from the session's start (%) that restricts; null: off",
    )
    max_drawdown_pct: Percent | None = Field(
        default=Decimal("25"), description="Fall from the peak equity (%) that restricts; null: off"
    )
    stoploss_guard: StopLossGuard | None = Field(default_factory=StopLossGuard)
    loss_cooldown: LossCooldown | None = Field(default_factory=LossCooldown)


class RiskLimitsOut(BaseModel):
    daily_loss_pct: DecimalStr | None
    max_drawdown_pct: DecimalStr | None
    stoploss_guard: StopLossGuard | None
    loss_cooldown: LossCooldown | None


class RuleSetters(BaseModel):
    """Who set the limit in force of each rule ("account holder" or "your guardian NAME")."""

    daily_loss: str
    drawdown: str
    stoploss_guard: str
    loss_cooldown: str


class AccountRiskOut(BaseModel):
    account_id: str
    caller: Literal["owner", "guardian"]
    """Which limits a PUT by the caller sets: the holder's own or the guardian's."""
    in_force: RiskLimitsOut
    """Rule by rule the tighter of the holder's and the guardian's limits."""
    set_by: RuleSetters
    own: RiskLimitsOut
    guardian: RiskLimitsOut | None
    """The guardian's limits (null rules: no guardian limit); null when none were set."""
    guardian_name: str | None
    breaker_level: str
    """The account breaker's level now."""
