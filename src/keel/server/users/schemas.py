"""Bodies of `/admin/users`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from keel.domain.enums import Cohort
from keel.server.market.schemas import CashStr


class AdminUserOut(BaseModel):
    id: str
    email: str
    display_name: str
    role: str
    minor: bool = Field(description="Under 18 today: trades with a guardian's approval")
    active: bool = Field(description="False once an admin switched the user off: no sign-in")
    two_factor: bool
    cohort: Cohort = Field(
        description="Which feature flags' cohort the user is in; an admin sets it with "
        "PUT /admin/cohorts"
    )
    accounts: int = Field(description="How many paper accounts the user has")
    created_at: datetime


class UserPageOut(BaseModel):
    items: list[AdminUserOut]
    total: int = Field(description="Users matching the search, over all pages")


class AdminAccountOut(BaseModel):
    id: str
    name: str
    scenario_id: str
    cash: CashStr
    starting_cash: CashStr
    created_at: datetime


class PersonOut(BaseModel):
    id: str
    display_name: str


class AdminUserDetailOut(AdminUserOut):
    paper_accounts: list[AdminAccountOut]
    guardians: list[PersonOut] = Field(description="For a minor: the linked guardians")
    minors: list[PersonOut] = Field(description="For a guardian: the linked minors")


class UserChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    active: StrictBool = Field(
        description="false: the user can no longer sign in and every session ends at once; "
        "true: they can sign in again"
    )
