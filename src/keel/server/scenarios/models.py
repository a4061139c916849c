"""Tables of scenarios: each a market with its own clock, and the audit trail of its clock.

The clock's position is stored on the scenario row (`position`, trading days since the first
day's open; `market_time`), so a restart or a standby's takeover resumes where the engine stopped.
Pause, speed and skip are written to the row by whoever asks (API, `keel scenarios`), with a new
`control_version`; the engine running the scenario applies them (at once in its own process, within
a second from elsewhere) and every change is one `scenario_events` row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, Money, UTCDateTime

DEFAULT_SCENARIO_ID = "default"


class ScenarioRow(Base):
    """One market: where its prices come from, how fast its clock runs, and its rules."""

    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(16))
    """`replay`: bundled history from `start_date`; `simulator`: the fictional classroom tickers
    simulated from `seed`; `upload`: uploaded history (`keel.server.scenarios.sources`)."""
    seed: Mapped[int | None] = mapped_column(Integer, default=None)
    """The simulator's seed (`simulator` only): the same seed, the same market, everywhere."""
    start_date: Mapped[date] = mapped_column(Date)
    seconds_per_day: Mapped[float] = mapped_column(Float)
    """Wall seconds per trading day while running."""
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    universe: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    """The symbols traded in this scenario; None: every bundled tradable symbol."""
    starting_cash: Mapped[Decimal] = mapped_column(Money)
    allow_short: Mapped[bool] = mapped_column(Boolean, default=False)
    breaker_mode: Mapped[str] = mapped_column(String(16), default="enforce")
    max_position_fraction: Mapped[Decimal | None] = mapped_column(Numeric(6, 4), default=None)
    """A class's rule: one position may be worth at most this share of the account's starting
    cash (0.5: "no single position above 50 %"); None: no such rule."""
    status: Mapped[str] = mapped_column(String(16), default="active")
    """`active` (an engine runs it) or `archived` (its clock is stopped for good)."""
    position: Mapped[float] = mapped_column(Float, default=0.0)
    """Trading days since the first day's open of the last published instant."""
    market_time: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Market time of the last published instant; None before the first."""
    target_position: Mapped[float | None] = mapped_column(Float, default=None)
    """A skip asked for: the engine publishes every instant up to here."""
    control_version: Mapped[int] = mapped_column(Integer, default=0)
    """Raised by every pause, resume, speed change or skip; the engine applies newer ones."""
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScenarioEventRow(Base):
    """One change to a scenario's clock or settings: who, what, at which market time (audit)."""

    __tablename__ = "scenario_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[str] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    """`created`, `paused`, `resumed`, `speed`, `skipped`, `archived`."""
    actor_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    actor: Mapped[str] = mapped_column(String(100), default="")
    """Who, in words: an admin's email, `keel scenarios` or `engine`."""
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    market_time: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
