"""Tables of the account-breaker limits: the holder's own, per account, and a minor's guardians',
per minor (they bind every account of the minor, the ones opened later too: finding 10 of issue 12).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, Money, UTCDateTime

OWNER = "owner"
GUARDIAN = "guardian"


class RiskLimitColumns:
    """The rules of one layer of limits: fractions (0.05 = 5 %), counts, and minutes; None = off."""

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


class AccountRiskLimitsRow(RiskLimitColumns, Base):
    """The holder's own limits on an account (`layer` is always `owner` since migration 0011
    moved the guardians' to `GuardianRiskLimitsRow`); no row: the defaults."""

    __tablename__ = "account_risk_limits"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    layer: Mapped[str] = mapped_column(String(16), primary_key=True)


class GuardianRiskLimitsRow(RiskLimitColumns, Base):
    """The limits a minor's guardians set, for every account of the minor; no row: none."""

    __tablename__ = "guardian_risk_limits"

    minor_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
