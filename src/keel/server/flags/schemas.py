"""Request and response bodies of the flags API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from keel.domain.enums import Cohort

VariantName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FlagValue = bool | str | int | float


class EvaluatedFlagOut(BaseModel):
    value: FlagValue
    variant: str | None = Field(description="the variant chosen, None when evaluation failed")
    reason: str = Field(description="why: TARGETING_MATCH, DEFAULT, STATIC, DISABLED, ERROR …")


class MyFlagsOut(BaseModel):
    cohort: Cohort
    flags: dict[str, EvaluatedFlagOut] = Field(description="every flag, by key, for the caller")


class FlagOut(BaseModel):
    """One flag as it is in force: the file's definition with the admins' change on top."""

    key: str
    description: str
    state: Literal["ENABLED", "DISABLED"]
    variants: dict[str, FlagValue]
    default_variant: str
    cohorts: dict[str, str] | None = Field(
        description="the variant each cohort gets; None when the file's own targeting applies"
    )
    targeting: dict[str, Any] | None = Field(description="the JSON Logic rule flagd evaluates")
    changed: bool = Field(description="an admin changed it (else: as in the flags file)")
    updated_at: datetime | None = None
    updated_by: str | None = None


class FlagsOut(BaseModel):
    source: str = Field(
        description="where the flags are evaluated: the flags file or a flagd server"
    )
    read_only: bool = Field(description="True when a flagd server manages them: change them there")
    cohorts: list[Cohort]
    flags: list[FlagOut]


class FlagPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Literal["ENABLED", "DISABLED"] | None = None
    default_variant: VariantName | None = None
    cohorts: dict[Cohort, VariantName] | None = Field(
        default=None,
        description="the variant each cohort gets (cohorts left out get the default variant)",
    )


class CohortIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    cohort: Cohort


class CohortOut(BaseModel):
    user_id: str
    email: str
    cohort: Cohort


class AdminEventOut(BaseModel):
    action: str
    subject: str
    actor: str
    detail: dict[str, Any]
    recorded_at: datetime
