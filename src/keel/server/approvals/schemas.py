"""Guardian approvals as the API takes and shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from keel.server.orders.schemas import OrderOut

MAX_DECISIONS = 50
"""Orders one batch may decide."""


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


class DecisionIn(BaseModel):
    """Approve or reject one order; a rejection needs a reason the minor sees."""

    model_config = ConfigDict(extra="forbid")

    order_id: str = Field(min_length=1, max_length=64)
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, min_length=1, max_length=300)

    @model_validator(mode="after")
    def _rejection_has_a_reason(self) -> DecisionIn:
        if self.decision == "reject" and (self.reason is None or not self.reason.strip()):
            raise ValueError("a rejection needs a reason the minor can read")
        return self


class DecisionsIn(BaseModel):
    """Several decisions in one 2FA step: one authenticator code for all of them."""

    model_config = ConfigDict(extra="forbid")

    decisions: list[DecisionIn] = Field(min_length=1, max_length=MAX_DECISIONS)
    code: str | None = Field(
        default=None, max_length=32, description="a fresh authenticator code when 2FA is on"
    )

    @model_validator(mode="after")
    def _each_order_once(self) -> DecisionsIn:
        ids = [decision.order_id for decision in self.decisions]
        if len(set(ids)) != len(ids):
            raise ValueError("each order may appear once")
        return self


class DecisionProblemOut(BaseModel):
    """Why one decision was not applied (the problem it would have been on its own)."""

    type: str
    status: int
    detail: str


class DecisionOut(BaseModel):
    order_id: str
    decision: Literal["approve", "reject"]
    applied: bool
    """True when the decision was recorded (an approved order may still be refused by the order
    gate: it is then `rejected`, with the reason on the order)."""
    order: OrderOut | None = None
    problem: DecisionProblemOut | None = None


class DecisionsOut(BaseModel):
    results: list[DecisionOut]
