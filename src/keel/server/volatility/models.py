"""Table of regime changes: every time a symbol's volatility regime moved, why and on what figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID


class RegimeChangeRow(Base):
    """One regime change of one symbol. `from_regime` is NULL for the reading at start-up (after
    the warm-up on history before the replay start)."""

    __tablename__ = "regime_changes"
    __table_args__ = (Index("ix_regime_changes_symbol_at", "symbol", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(String(36), server_default=DEFAULT_SCENARIO_ID)
    """The market (scenario) whose breakers or regimes these are."""
    symbol: Mapped[str] = mapped_column(String(16))
    from_regime: Mapped[str | None] = mapped_column(String(16), default=None)
    to_regime: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(500))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    """Market time of the bar close that decided it."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
