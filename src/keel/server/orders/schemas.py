"""Orders as the API takes and shows them. Amounts are decimal strings in and out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from keel.server.breakers.schemas import BreakerOut
from keel.server.lessons.links import cut_lesson, problem_links
from keel.server.market.schemas import CashStr, DecimalStr

Amount = Decimal | None


class OrderIn(BaseModel):
    """A new order. Give exactly one of `quantity` (units) or `notional` (cash)."""

    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(min_length=1, max_length=36)
    symbol: str = Field(min_length=1, max_length=16)
    side: Literal["buy", "sell"]
    type: Literal["market", "limit", "stop", "stop_limit"] = "market"
    quantity: Amount = Field(default=None, allow_inf_nan=False)
    notional: Amount = Field(default=None, allow_inf_nan=False)
    limit_price: Amount = Field(default=None, allow_inf_nan=False)
    stop_price: Amount = Field(default=None, allow_inf_nan=False)
    time_in_force: Literal["day", "gtc"] = "day"
    client_order_id: str | None = Field(default=None, max_length=64)


class OrderEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int
    time: datetime
    from_status: str | None
    to_status: str
    reason: str
    code: str | None


class FillOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    symbol: str
    side: str
    quantity: DecimalStr
    price: DecimalStr
    commission: CashStr
    time: datetime


class OrderCutOut(BaseModel):
    """Why the order was made smaller than asked."""

    detail: str
    """In plain words: what was asked, what was accepted, and why."""
    reason: str
    """The rule's own words (the order gate's)."""
    figures: dict[str, str]
    """The numbers behind it, as plain decimal strings (e.g. `requested_quantity`,
    `accepted_quantity`, `price`)."""

    lesson: str | None = None
    """The lesson that explains why breakers make orders smaller."""

    @model_validator(mode="after")
    def _link_lesson(self) -> OrderCutOut:
        if self.lesson is None:
            self.lesson = cut_lesson()
        return self


class OrderOut(BaseModel):
    """An order. `requested_quantity` / `requested_notional` are what was asked for; `quantity` /
    `notional` what was accepted; `cut` says why when they differ (null otherwise; both
    `requested_*` are null for orders stored before they were recorded)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    account_id: str
    client_order_id: str | None
    symbol: str
    side: str
    type: str
    time_in_force: str
    requested_quantity: DecimalStr | None = None
    requested_notional: CashStr | None = None
    quantity: DecimalStr | None
    notional: CashStr | None
    cut: OrderCutOut | None = None
    limit_price: DecimalStr | None
    stop_price: DecimalStr | None
    status: str
    status_reason: str
    rejection_code: str | None
    filled_quantity: DecimalStr
    filled_notional: DecimalStr
    average_fill_price: DecimalStr | None
    commission_paid: CashStr
    market_date: date | None = None
    approval_expires_at: datetime | None
    origin: Literal["person", "autopilot"] = "person"
    """Who placed it: the account's owner (`person`) or autopilot, trading the model's signals
    for them (through the same order gate)."""
    created_at: datetime
    updated_at: datetime

    lesson: str | None = None
    """The lesson that explains why the order was rejected (a guardian's no, a breaker at trigger
    time); null for an order no rule stopped."""

    @model_validator(mode="after")
    def _link_lesson(self) -> OrderOut:
        if self.lesson is None and self.rejection_code is not None:
            self.lesson = problem_links(self.rejection_code).get("lesson")
        return self


class OrderDetailOut(OrderOut):
    events: list[OrderEventOut] = []
    fills: list[FillOut] = []


FigureValue = str | int | float
"""A figure: a plain decimal string for amounts, a number for statistics."""


class PreviewFindingOut(BaseModel):
    """One rule that would refuse or cut the order, as its problem would say it."""

    code: str
    """The problem type's code, e.g. `insufficient-funds`, `breaker-closed`."""
    type: str
    """The page that explains it: `/problems/<code>` on this server."""
    effect: Literal["refuse", "cut"]
    """`refuse`: the order would not be placed; `cut`: it would be placed, smaller."""
    detail: str
    """What the rule says, in plain words."""
    reason: str | None = None
    """For a cut: the rule's own words (the order gate's), beside the plain ones."""
    breaker: str | None = None
    """The breaker behind it, when one is (e.g. `market-wide breaker`)."""
    figures: dict[str, FigureValue] = {}
    """The numbers behind `detail`."""
    lesson: str | None = None
    """The lesson that explains it (`/api/v1/lessons/<slug>`), as its problem body would say."""
    glossary: str | None = None
    """The glossary entry that explains it, when no lesson does."""


class PreviewEstimateOut(BaseModel):
    """What would be accepted, valued at the current quote with the fill model's spread,
    slippage and commission."""

    price: DecimalStr | None
    """Expected price per unit (null when no price is known yet)."""
    quantity: DecimalStr
    """Units."""
    notional: CashStr
    """Their value."""
    commission: CashStr
    cost: CashStr
    """A buy: what it takes (value plus commission). A sale: what it brings (value minus
    commission)."""


class OrderPreviewOut(BaseModel):
    """What placing this order now would do, every check at once. Nothing is stored."""

    outcome: Literal["accepted", "refused", "waits_for_guardian", "repeat"]
    """`accepted` (perhaps cut: see `cut`), `refused`, `waits_for_guardian` (a minor's order
    is placed, then waits for a guardian's approval), or `repeat` (the `client_order_id` was
    used already: placing returns that order, `repeat_of`; the rest says what a new order would
    meet)."""
    detail: str
    """The outcome in plain words."""
    repeat_of: str | None = None
    """The id of the order placed earlier with this `client_order_id`."""
    code: str | None = None
    """The problem code the order would be refused with (null unless refused)."""
    type: str | None = None
    """Its page, `/problems/<code>`."""
    symbol: str
    side: str
    requested_quantity: DecimalStr | None
    requested_notional: CashStr | None
    quantity: DecimalStr | None
    """Units that would be accepted (after any cut), for a quantity order."""
    notional: CashStr | None
    """Cash that would be accepted (after any cut), for a notional order."""
    cut: OrderCutOut | None = None
    estimate: PreviewEstimateOut
    buying_power: CashStr
    """Free to spend now: cash minus what open buy orders set aside."""
    buying_power_after: CashStr | None
    """Free to spend once the order is placed (a buy sets its cost aside; a sale's money comes
    when it fills); null when the order would be refused."""
    regime: str | None
    """The instrument's market regime now: LOW, NORMAL, HIGH or EXTREME (null before the first
    estimate)."""
    breakers: list[BreakerOut]
    """Where the breakers that judge this order stand: market-wide, the instrument's, the
    account's (empty when breakers are not running here)."""
    findings: list[PreviewFindingOut]
    """Every rule that would refuse or cut the order, in the order they are checked."""
    market_time: datetime | None
