"""Request and response bodies of `/feedback` and `/admin/feedback`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_TEXT_CHARS = 2000
MAX_NOTE_CHARS = 2000
MAX_APP_STATE_BYTES = 16 * 1024
"""The attached app state, as compact JSON, at most this many bytes."""

Status = Literal["new", "triaged", "done"]


def _no_control_characters(value: str) -> str:
    if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in value):
        raise ValueError("control characters are not allowed")
    return value


FeedbackText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_no_control_characters),
]
PagePath = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^/[^\s]*$")]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: FeedbackText
    page: PagePath = Field(description="the app's path the feedback is about, e.g. `/markets/SPX`")
    app_state: dict[str, Any] | None = Field(
        default=None,
        description=f"the app's state as JSON, optional, at most {MAX_APP_STATE_BYTES} bytes; "
        "values under keys naming tokens, passwords or secrets are removed",
    )
    scenario_id: Annotated[str, StringConstraints(max_length=36, pattern=r"^[A-Za-z0-9_-]+$")] = (
        "default"
    )


class FeedbackReceiptOut(BaseModel):
    id: str
    recorded_at: datetime
    market_time: datetime | None
    flags: dict[str, Any]


class FeedbackOut(BaseModel):
    id: str
    user_id: str
    user_email: str
    user_name: str
    text: str
    page: str
    cohort: str
    flags: dict[str, Any] = Field(description="each flag's value for the sender when it arrived")
    has_app_state: bool
    scenario_id: str | None
    market_time: datetime | None
    recorded_at: datetime
    status: Status
    note: str
    triaged_by: str | None
    updated_at: datetime


class FeedbackDetailOut(FeedbackOut):
    app_state: dict[str, Any] | None


class FeedbackListOut(BaseModel):
    total: int = Field(description="how many match the filter (the page holds at most `limit`)")
    counts: dict[str, int] = Field(
        description="how many of each status, over all the feedback you may triage "
        "(a teacher's class filter applies; the status and page filters do not)"
    )
    items: list[FeedbackOut]


class FeedbackPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    note: (
        Annotated[
            str,
            StringConstraints(max_length=MAX_NOTE_CHARS),
            AfterValidator(_no_control_characters),
        ]
        | None
    ) = None
