"""What autopilot decided for an account, one row per symbol and signal day.

The unique key (account, symbol, signal day) is what makes autopilot act at most once per market
day and symbol, across engine restarts and takeovers: the row is written in the same transaction
as the order it placed, under the account's lock.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.accounts import models as account_models  # noqa: F401  (tables referenced below)
from keel.server.db import Base, Money, UTCDateTime


class AutopilotDecisionRow(Base):
    __tablename__ = "autopilot_decisions"
    __table_args__ = (UniqueConstraint("account_id", "symbol", "signal_day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), index=True
    )
    symbol: Mapped[str] = mapped_column(String(16))
    signal_day: Mapped[date] = mapped_column(Date)
    """The last completed trading day the signal was computed from."""
    outcome: Mapped[str] = mapped_column(String(24))
    """`ordered`, `waiting_for_guardian`, `refused` or `held`."""
    action: Mapped[str] = mapped_column(String(8))
    """What autopilot wanted: `buy`, `sell` or `hold`."""
    quantity: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    order_id: Mapped[str | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), default=None
    )
    reason: Mapped[str] = mapped_column(String(1000))
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    """The order gate's refusal code when the order was refused."""
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str] = mapped_column(String(32))
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    """The scenario's market time of the decision (`recorded_at`: wall time)."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
