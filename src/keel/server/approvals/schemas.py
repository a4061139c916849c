"""Guardian approvals as the API takes and shows them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from keel.server.orders.schemas import OrderOut


class PendingApprovalOut(BaseModel):
    minor_id: str
    minor_display_name: str
    order: OrderOut


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(
        default=None, max_length=32, description="a fresh authenticator code when 2FA is on"
    )


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=300)
