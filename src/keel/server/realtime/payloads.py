"""What a channel message carries (`data`), one Pydantic model per type, and the builders of the
payloads that several modules publish (an order, an account, an approval, a backtest), so each is
built in one place. Quotes, bars, the clock, breakers and volatility are built by their own
publishers (`market.feed.quote_message`, `bar_message`, `scenarios.live.clock_message`,
`breakers.publishing`); `tests/integration/realtime/test_messages.py` checks them all against
these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from keel.server.autopilot.schemas import AutopilotDecisionOut
from keel.server.orders.schemas import OrderOut


class _Payload(BaseModel):
    # A field a publisher adds without its model fails the message tests, not the web client.
    model_config = ConfigDict(extra="forbid")


class QuoteData(_Payload):
    """A quote; prices and sizes as decimal strings."""

    symbol: str
    time: datetime
    bid: str
    ask: str
    last: str
    bid_size: str | None
    ask_size: str | None


class BarData(_Payload):
    """A completed daily bar; prices and volume as decimal strings."""

    symbol: str
    time: datetime
    open: str
    high: str
    low: str
    close: str
    volume: str


class ClockData(_Payload):
    """The scenario clock after a step, a pause, a speed change or a skip."""

    type: Literal["clock"]
    scenario_id: str
    market_time: datetime | None
    market_date: str | None
    position: float
    paused: bool
    seconds_per_day: float
    finished: bool


class LiveBreakerTransition(_Payload):
    """One breaker's move between levels, with its reason in plain words."""

    scope: str
    scope_key: str
    breaker: str
    """Plain name, e.g. `market-wide breaker`, `symbol breaker SPX`."""
    from_level: str
    to_level: str
    kind: str
    rule: str
    reason: str
    figures: dict[str, Any]
    at: datetime
    reopen_at: datetime | None = None
    enforced: bool = True
    condition: str | None = None
    """What must change for the level to ease, in plain words."""
    lesson: str | None = None
    """The URL of the lesson that explains the rule."""


class BreakerTransitionData(_Payload):
    type: Literal["breaker_transition"]
    transition: LiveBreakerTransition


class RegimeChangeData(_Payload):
    type: Literal["regime_change"]
    symbol: str
    from_regime: str | None
    to_regime: str
    confidence: float | None
    reason: str
    figures: dict[str, Any]
    at: datetime


class VolatilityData(_Payload):
    type: Literal["volatility"]
    symbol: str
    as_of: datetime | None
    regime: str
    confidence: float | None
    reason: str
    estimators: dict[str, Any]


class AnomalyData(_Payload):
    type: Literal["anomaly"]
    symbol: str
    kind: str
    message: str
    figures: dict[str, Any]
    at: datetime | None


class OrderData(_Payload):
    """One of the caller's orders changed."""

    type: Literal["order"]
    order: OrderOut


class AccountState(_Payload):
    id: str
    cash: str
    buying_power: str
    equity: str
    epoch: int


class AccountData(_Payload):
    """The caller's account after a change: cash, buying power, equity (decimal strings)."""

    type: Literal["account"]
    account: AccountState


class ApprovalData(_Payload):
    """To a guardian: a minor's order waits (`approval_requested`); to the minor: a guardian
    decided (`order_approved`, `order_rejected`)."""

    type: Literal["approval_requested", "order_approved", "order_rejected"]
    order: OrderOut


class BacktestState(_Payload):
    id: str
    status: str
    progress: float


class BacktestData(_Payload):
    """A backtest's progress or end."""

    type: Literal["backtest"]
    backtest: BacktestState


class AutopilotData(_Payload):
    """Autopilot decided something for one of the user's accounts (an order, a refusal, a hold)."""

    type: Literal["autopilot"]
    decision: AutopilotDecisionOut


VolatilityPayload = Annotated[
    RegimeChangeData | VolatilityData | AnomalyData, Field(discriminator="type")
]
NotificationPayload = Annotated[
    ApprovalData | AutopilotData | BacktestData | BreakerTransitionData,
    Field(discriminator="type"),
]


# ----- builders ---------------------------------------------------------------------------------


def order_data(order: OrderOut) -> dict[str, Any]:
    """`orders:<user>`: one of the user's orders changed."""
    return OrderData(type="order", order=order).model_dump(mode="json")


def account_data(
    account_id: str, *, cash: str, buying_power: str, equity: str, epoch: int
) -> dict[str, Any]:
    """`accounts:<user>`: the account's cash, buying power and equity (decimal strings)."""
    state = AccountState(
        id=account_id, cash=cash, buying_power=buying_power, equity=equity, epoch=epoch
    )
    return AccountData(type="account", account=state).model_dump(mode="json")


def approval_data(
    kind: Literal["approval_requested", "order_approved", "order_rejected"], order: OrderOut
) -> dict[str, Any]:
    """`notifications:<user>`: an order waits for a guardian, or a guardian decided."""
    return ApprovalData(type=kind, order=order).model_dump(mode="json")


def backtest_data(run_id: str, status: str, progress: float) -> dict[str, Any]:
    """`notifications:<user>`: a backtest's progress (0–1) or end."""
    state = BacktestState(id=run_id, status=status, progress=round(progress, 4))
    return BacktestData(type="backtest", backtest=state).model_dump(mode="json")


def autopilot_data(decision: AutopilotDecisionOut) -> dict[str, Any]:
    """`notifications:<user>`: what autopilot decided for one of the user's accounts."""
    return AutopilotData(type="autopilot", decision=decision).model_dump(mode="json")
