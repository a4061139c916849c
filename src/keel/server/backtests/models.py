"""The `backtest_runs` table: one row per submitted backtest job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime


class BacktestRun(Base):
    """A backtest job: who asked for what, where it is, and where its results are stored."""

    __tablename__ = "backtest_runs"
    __table_args__ = (
        Index("ix_backtest_runs_owner_created", "owner_id", "created_at"),
        Index("ix_backtest_runs_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    """queued → running → succeeded | failed | cancelled (see `JobStatus`)."""
    strategy: Mapped[str] = mapped_column(String(64))
    symbol: Mapped[str | None] = mapped_column(String(16), default=None)
    dataset: Mapped[str | None] = mapped_column(String(300), default=None)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The validated request as JSON (what the job runs)."""
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    """Fraction done, 0 … 1."""
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The statistics of a finished run (the `stats` of the JSON result)."""
    trade_count: Mapped[int | None] = mapped_column(default=None)
    result_key: Mapped[str | None] = mapped_column(String(500), default=None)
    """Object-store key of `{"stats", "trades"}` JSON."""
    report_key: Mapped[str | None] = mapped_column(String(500), default=None)
    """Object-store key of the self-contained HTML report."""
    error: Mapped[str | None] = mapped_column(String(2000), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Last sign of life from the process running the job (orphan detection)."""
