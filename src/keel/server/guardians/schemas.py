"""Request and response bodies of `/guardian`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

MAX_LIMIT_NOTIONAL = Decimal("10000000")

InvitationCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=4, max_length=32)
]


class RedeemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: InvitationCode


class LimitsIn(BaseModel):
    """A change of the minor's limits: a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")
    max_order_notional: Decimal | None = Field(
        default=None,
        gt=0,
        le=MAX_LIMIT_NOTIONAL,
        decimal_places=2,
        allow_inf_nan=False,
        description="Largest notional of one order in account currency; null for no limit; "
        "left out: unchanged",
    )
    trading_paused: StrictBool | None = Field(
        default=None, description="Stop the minor placing new orders; left out: unchanged"
    )


class LimitsOut(BaseModel):
    max_order_notional: Decimal | None
    trading_paused: bool


class InvitationOut(BaseModel):
    code: str = Field(description="Give this to the minor; shown once, single use")
    expires_at: datetime


class LinkOut(BaseModel):
    guardian_id: str
    guardian_display_name: str
    minor_id: str
    linked_at: datetime


class MinorOut(BaseModel):
    id: str
    email: str
    display_name: str
    date_of_birth: date
    is_minor: bool
    linked_at: datetime
    limits: LimitsOut
    account_ids: list[str] = []
    """The minor's paper accounts (a guardian sets their risk limits at /accounts/{id}/risk)."""
