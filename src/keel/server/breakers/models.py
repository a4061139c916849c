"""Table of breaker transitions: every level change of every breaker, with its reason and figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID


class BreakerTransitionRow(Base):
    """One `keel.risk.BreakerTransition`. Levels by name (OPEN … CLOSED); `at` and `reopen_at` in
    market time (the replay's), `recorded_at` in wall time."""

    __tablename__ = "breaker_transitions"
    __table_args__ = (
        Index("ix_breaker_transitions_scope_key_at", "scope", "scope_key", "at"),
        Index("ix_breaker_transitions_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(String(36), server_default=DEFAULT_SCENARIO_ID)
    """The market (scenario) whose breakers or regimes these are."""
    scope: Mapped[str] = mapped_column(String(16))
    scope_key: Mapped[str] = mapped_column(String(64))
    from_level: Mapped[str] = mapped_column(String(16))
    to_level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reopen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    enforced: Mapped[bool] = mapped_column(Boolean, default=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
