"""Feedback sent from a page of the web app: what the learner wrote, where, when, with which flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime

FEEDBACK_STATUSES = ("new", "triaged", "done")


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[str] = mapped_column(String(300))
    """The app's path the feedback was sent from (`/markets/SPX`)."""
    app_state: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The app's state as JSON when the user chose to attach it (tokens removed)."""
    flags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Every flag's value for this user when the feedback arrived."""
    cohort: Mapped[str] = mapped_column(String(16))
    scenario_id: Mapped[str | None] = mapped_column(String(36), default=None)
    market_time: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """The scenario's market time when it arrived (None when that market is not running)."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    """`new`, `triaged` or `done`."""
    note: Mapped[str] = mapped_column(Text, default="")
    """The triager's note."""
    triaged_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
