"""Tables of orders: the order (current state), every status change, and the fills."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from keel.server.accounts import models as account_models  # noqa: F401  (tables referenced below)
from keel.server.db import Base, Money, UTCDateTime


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text, for sums finer than `Money`'s 6 places (a fill's
    notional is quantity × price: up to 10 places)."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


OPEN_ORDERS_ONLY = "status IN ('accepted', 'partially_filled', 'pending_approval')"
"""The predicate of `ix_orders_open`: `repository.OPEN_STATUSES`, as `repository.status_in`
writes them (a query's statuses must imply it for PostgreSQL to use the index)."""


class OrderRow(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("account_id", "client_order_id"),
        Index("ix_orders_symbol_status", "symbol", "status"),
        Index("ix_orders_status", "status"),
        # Each account's open orders, and only those: the engine's match on every tick and the
        # order desk's batches read them, and their cost must not grow with the account's history
        # (through the account's index, PostgreSQL read every order an account ever placed).
        Index(
            "ix_orders_open",
            "account_id",
            postgresql_where=text(OPEN_ORDERS_ONLY),
            sqlite_where=text(OPEN_ORDERS_ONLY),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("paper_accounts.id", ondelete="CASCADE"))
    """Looked up through the unique (account_id, client_order_id) index: no index of its own."""
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(8))
    type: Mapped[str] = mapped_column(String(16))
    time_in_force: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal | None] = mapped_column(Money, default=None)
    notional: Mapped[Decimal | None] = mapped_column(Money, default=None)
    """What was accepted: smaller than `requested_*` when the order gate cut the order."""
    requested_quantity: Mapped[Decimal | None] = mapped_column(Money, default=None)
    requested_notional: Mapped[Decimal | None] = mapped_column(Money, default=None)
    """What the caller asked for."""
    cut: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """Why the order was made smaller (`detail`, `reason`, `figures` as decimal strings), if it was."""
    limit_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    stop_price: Mapped[Decimal | None] = mapped_column(Money, default=None)
    client_order_id: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(24))
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    rejection_code: Mapped[str | None] = mapped_column(String(64), default=None)
    filled_quantity: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    filled_notional: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(0))
    average_fill_price: Mapped[Decimal | None] = mapped_column(ExactDecimal, default=None)
    commission_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    fill_count: Mapped[int] = mapped_column(Integer, default=0)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    triggered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    market_date: Mapped[date | None] = mapped_column(Date, default=None)
    """Trading day of the replay the order's time in force counts from: its placement, or its
    guardian's approval (a day order expires at that day's end)."""
    approval_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    origin: Mapped[str] = mapped_column(String(16), default="person", server_default="person")
    """Who placed the order: `person` (the account's owner) or `autopilot` (the engine, trading
    the model's signals for the owner)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderEventRow(Base):
    """One status change (or a note that kept the status), numbered 1, 2, … per order."""

    __tablename__ = "order_events"
    __table_args__ = (UniqueConstraint("order_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    """Looked up through the unique (order_id, sequence) index: no index of its own."""
    sequence: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    from_status: Mapped[str | None] = mapped_column(String(24), default=None)
    to_status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500), default="")
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Wall time the event was stored (`time` is the scenario's market time); None before 0005."""


class FillRow(Base):
    __tablename__ = "fills"
    __table_args__ = (Index("ix_fills_account_epoch", "account_id", "epoch"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("paper_accounts.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    """Order in which the account's fills were applied (positions replay them in this order)."""
    symbol: Mapped[str] = mapped_column(String(16))
    side: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal] = mapped_column(Money)
    price: Mapped[Decimal] = mapped_column(Money)
    commission: Mapped[Decimal] = mapped_column(Money)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    """Market time of the quote the fill traded on."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
