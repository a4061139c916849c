"""Tables: invitation codes (stored hashed), guardian–minor links, and the limits a guardian sets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.auth.models import new_id
from keel.server.db import Base, Money, UTCDateTime


class GuardianInvitation(Base):
    __tablename__ = "guardian_invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    redeemed_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class GuardianLink(Base):
    """One guardian of one minor. A minor may have up to `MAX_GUARDIANS` guardians (either one
    approves); a guardian may have many minors; a pair is linked once."""

    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("guardian_id", "minor_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    minor_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


MAX_GUARDIANS = 2
"""Guardians one minor may link to (two parents, say)."""


class MinorLimitsRow(Base):
    """What a minor's guardians allow (shared: either may change it); no row means the defaults
    (no extra limit)."""

    __tablename__ = "minor_limits"

    minor_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    max_order_notional: Mapped[Decimal | None] = mapped_column(Money, default=None)
    """Largest notional (price × quantity, account currency) of one order; None = no limit."""
    trading_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    """When true the minor may place no new orders."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
