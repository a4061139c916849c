"""Tables of paper accounts: the account row (locked for every money change), the append-only cash
ledger, positions (a read model of the fills, per reset epoch) and equity history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, Money, UTCDateTime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID


class PaperAccount(Base):
    """A paper account. `cash` always equals the sum of the account's ledger (`keel check`)."""

    __tablename__ = "paper_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[str] = mapped_column(
        ForeignKey("scenarios.id"), index=True, server_default=DEFAULT_SCENARIO_ID
    )
    """The market the account trades in: its quotes, breakers and clock."""
    name: Mapped[str] = mapped_column(String(100))
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    """How many resets; ledger entries, fills and positions of older epochs are archived history."""
    starting_cash: Mapped[Decimal] = mapped_column(Money)
    cash: Mapped[Decimal] = mapped_column(Money)
    ledger_length: Mapped[int] = mapped_column(Integer, default=0)
    """Sequence number of the last ledger entry (entries are numbered 1, 2, … per account)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    peak_equity: Mapped[Decimal | None] = mapped_column(Money, default=None)
    """The highest equity the account breakers have seen in this epoch, by any process (the
    drawdown rule's reference; None until the first judgement, and again after a reset)."""
    autopilot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the engine trades the hybrid model's signals for the account
    (`keel.server.autopilot`)."""


class LedgerEntryRow(Base):
    """One cash movement; rows are only ever inserted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (UniqueConstraint("account_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("paper_accounts.id", ondelete="CASCADE"))
    """Looked up through the unique (account_id, sequence) index: no index of its own."""
    sequence: Mapped[int] = mapped_column(Integer)
    epoch: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    """When the movement happened, in the scenario's market time (`recorded_at`: wall time)."""
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    balance_after: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str | None] = mapped_column(String(64), default=None)
    memo: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PositionRow(Base):
    """Holding in one symbol during one epoch, kept in step with the fills (average-cost basis)."""

    __tablename__ = "positions"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol: Mapped[str] = mapped_column(String(16), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Money)
    average_cost: Mapped[Decimal] = mapped_column(Money)
    realized_pnl: Mapped[Decimal] = mapped_column(Money)
    commission_paid: Mapped[Decimal] = mapped_column(Money)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EquitySnapshot(Base):
    """Cash and equity of an account at a moment of market time."""

    __tablename__ = "equity_snapshots"
    __table_args__ = (Index("ix_equity_snapshots_account_epoch", "account_id", "epoch", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("paper_accounts.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    cash: Mapped[Decimal] = mapped_column(Money)
    equity: Mapped[Decimal] = mapped_column(Money)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
