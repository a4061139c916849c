"""Orders as the API takes and shows them. Amounts are decimal strings in and out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
