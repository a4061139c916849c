"""Account requests as the API takes and shows them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from keel.server.accounts.schemas import AccountOut
from keel.server.approvals.schemas import MAX_DECISIONS, DecisionProblemOut
from keel.server.market.schemas import CashStr


class AccountRequestOut(BaseModel):
    """A minor's request to open (`open`) or start over (`reset`) a paper account."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    minor_id: str
    kind: Literal["open", "reset"]
    status: Literal["pending", "approved", "rejected"]
    account_id: str | None
    """The account to reset; for `open`, the account opened once approved."""
    scenario_id: str | None
    name: str | None
    starting_cash: CashStr | None
    reason: str | None
    """Why the guardian said no."""
    created_at: datetime
    decided_at: datetime | None


class PendingAccountRequestOut(BaseModel):
    minor_id: str
    minor_display_name: str
    request: AccountRequestOut


class AccountDecisionIn(BaseModel):
    """Approve or reject one request; a rejection needs a reason the minor sees."""

    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=64)
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, min_length=1, max_length=300)

    @model_validator(mode="after")
    def _rejection_has_a_reason(self) -> AccountDecisionIn:
        if self.decision == "reject" and (self.reason is None or not self.reason.strip()):
            raise ValueError("a rejection needs a reason the minor can read")
        return self


class AccountDecisionsIn(BaseModel):
    """Several decisions in one 2FA step, as for orders."""

    model_config = ConfigDict(extra="forbid")

    decisions: list[AccountDecisionIn] = Field(min_length=1, max_length=MAX_DECISIONS)
    code: str | None = Field(
        default=None, max_length=32, description="a fresh authenticator code when 2FA is on"
    )

    @model_validator(mode="after")
    def _each_request_once(self) -> AccountDecisionsIn:
        ids = [decision.request_id for decision in self.decisions]
        if len(set(ids)) != len(ids):
            raise ValueError("each request may appear once")
        return self


class AccountDecisionOut(BaseModel):
    request_id: str
    decision: Literal["approve", "reject"]
    applied: bool
    request: AccountRequestOut | None = None
    account: AccountOut | None = None
    """The account opened or reset."""
    problem: DecisionProblemOut | None = None


class AccountDecisionsOut(BaseModel):
    results: list[AccountDecisionOut]


class MinorAccountIn(BaseModel):
    """An account a guardian opens for a linked minor."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="Paper account", min_length=1, max_length=100)
    scenario_id: str = Field(
        default="default", min_length=1, max_length=36, pattern=r"^[A-Za-z0-9_-]+$"
    )
    starting_cash: Decimal | None = Field(default=None, gt=0, decimal_places=2, allow_inf_nan=False)
