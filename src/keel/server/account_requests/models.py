"""Table: a minor's request to open or reset a paper account, and the guardian's decision."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.auth.models import new_id
from keel.server.db import Base, Money, UTCDateTime

OPEN, RESET = "open", "reset"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class AccountRequestRow(Base):
    """`open`: a new account (`name`, `scenario_id`, `starting_cash`); `reset`: start
    `account_id` over. `pending` until a linked guardian approves (the account is then opened or
    reset, `account_id` names it) or rejects it with a reason."""

    __tablename__ = "account_requests"
    __table_args__ = (Index("ix_account_requests_minor_status", "minor_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    minor_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    account_id: Mapped[str | None] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), default=None
    )
    scenario_id: Mapped[str | None] = mapped_column(String(36), default=None)
    name: Mapped[str | None] = mapped_column(String(100), default=None)
    starting_cash: Mapped[Decimal | None] = mapped_column(Money, default=None)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    """Why the guardian said no (the minor reads it)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decided_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
