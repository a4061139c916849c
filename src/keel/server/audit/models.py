"""One row per change an admin makes outside a scenario's clock (flags, cohorts, feedback triage).

Scenario clock changes keep their own trail (`scenario_events`), where they carry market time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime


class AdminEventRow(Base):
    __tablename__ = "admin_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    """`flag-changed`, `cohort-changed`, `feedback-triaged`."""
    subject: Mapped[str] = mapped_column(String(100), index=True)
    """What changed: a flag's key, a user's id, a feedback id."""
    actor_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    actor: Mapped[str] = mapped_column(String(320), default="")
    """Who, in words: the admin's email."""
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """What it was before and what it is now."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
