"""Breakers as the API shows them: levels by name, times in market time (ISO 8601, UTC)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from keel.server.lessons.links import rule_lesson

_NUMBER = re.compile(r"\s*[+-]?\d+(\.\d*)?\s*")


def _refuse_numbers(value: object) -> object:
    # Pydantic would read a bare number as Unix seconds; the API documents ISO 8601 only.
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("expected an ISO 8601 date-time such as 2008-09-29T00:00:00Z")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_refuse_numbers)]
"""A date-time given as ISO 8601 text (a time without an offset is read as UTC)."""


class BreakerOut(BaseModel):
    """Where one breaker stands now."""

    scope: str
    key: str
    breaker: str
    """Plain name, e.g. `market-wide breaker`, `symbol breaker SPX`."""
    level: str
    """OPEN, CAUTIOUS, RESTRICTED or CLOSED (what the breaker measures)."""
    effective_level: str
    """The level that binds orders (OPEN for a breaker in measure-only mode)."""
    mode: str
    rule: str
    reason: str
    cause: str
    """Why the episode began, kept while the breaker recovers."""
    since: datetime | None
    reopen_at: datetime | None
    pinned: bool
    """An admin halted it; only an admin resumes."""
    probing: bool
    trips: int
    condition: str | None = None
    """What must change for the level to ease, in plain words (a condition-based level has no
    `reopen_at`: a storm has no known end)."""
    figures: dict[str, Any] = Field(default_factory=dict)
    """The numbers behind the level now (e.g. the volatility and the regime's thresholds)."""

    lesson: str | None = None
    """The lesson that explains the rule behind the level (`/api/v1/lessons/<slug>`)."""

    @model_validator(mode="after")
    def _link_lesson(self) -> BreakerOut:
        if self.lesson is None:
            self.lesson = rule_lesson(self.rule)
        return self


class BreakersOut(BaseModel):
    market_time: datetime | None
    breakers: list[BreakerOut]


class BreakerTransitionOut(BaseModel):
    """One stored transition."""

    model_config = ConfigDict(from_attributes=True)

    id: int | None = None
    scope: str
    scope_key: str
    from_level: str
    to_level: str
    kind: str
    rule: str
    reason: str
    figures: dict[str, Any]
    at: datetime
    reopen_at: datetime | None
    enforced: bool

    lesson: str | None = None
    """The lesson that explains the rule behind the transition."""

    @model_validator(mode="after")
    def _link_lesson(self) -> BreakerTransitionOut:
        if self.lesson is None:
            self.lesson = rule_lesson(self.rule)
        return self


class ForceIn(BaseModel):
    """An admin halt or resume: the whole market, or one symbol."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["market", "symbol"] = "market"
    symbol: str | None = Field(default=None, min_length=1, max_length=16)
    reason: str | None = Field(default=None, min_length=1, max_length=200)
