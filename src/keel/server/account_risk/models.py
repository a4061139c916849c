"""Table: the account-breaker limits each person set on an account (one row per layer)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, Money, UTCDateTime

OWNER = "owner"
GUARDIAN = "guardian"


class AccountRiskLimitsRow(Base):
    """The limits one layer (`owner` or `guardian`) set on an account; no row: the defaults
    (owner) or no guardian limit. Fractions (0.05 = 5 %), counts, and minutes; None = rule off."""

    __tablename__ = "account_risk_limits"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    layer: Mapped[str] = mapped_column(String(16), primary_key=True)
    daily_loss_limit: Mapped[Decimal | None] = mapped_column(Money, default=None)
    max_drawdown: Mapped[Decimal | None] = mapped_column(Money, default=None)
    stoploss_trades: Mapped[int | None] = mapped_column(Integer, default=None)
    stoploss_window_minutes: Mapped[int] = mapped_column(Integer)
    stoploss_lock_minutes: Mapped[int] = mapped_column(Integer)
    loss_streak: Mapped[int | None] = mapped_column(Integer, default=None)
    loss_cooldown_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
