"""Tables of classrooms: a teacher's class (its join code, its market, how its leaderboard ranks),
its members, each with the one practice account they trade in the class's market, and each
member account's running end-of-day figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, Money, UTCDateTime

ROSTER = "roster"
"""A member the teacher's roster import created (with a one-time password)."""
CODE = "code"
"""A learner who joined with the class's code."""


class ClassRow(Base):
    """A class: one teacher, one scenario (its market and clock), many students."""

    __tablename__ = "classes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    teacher_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    score: Mapped[str] = mapped_column(String(16), default="sortino")
    """What ranks the leaderboard (`keel.learning.leaderboard.Score`)."""
    required_lessons: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """Feature → lesson: locked on every student's account until the lesson is mastered."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClassMemberRow(Base):
    """A student of a class and the practice account they trade in its market."""

    __tablename__ = "class_members"

    class_id: Mapped[str] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), unique=True
    )
    via: Mapped[str] = mapped_column(String(16))
    """`roster` (imported by the teacher) or `code` (joined with the class's code)."""
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EquityFiguresRow(Base):
    """An account's running end-of-day figures (`keel.learning.equity_figures.EquityFigures`),
    folded in at each market day's close for the accounts of a class: the leaderboard reads one
    row per student instead of every equity point."""

    __tablename__ = "equity_figures"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    epoch: Mapped[int] = mapped_column(Integer)
    """The account's epoch these figures are of (a reset starts them again)."""
    as_of: Mapped[date] = mapped_column(Date)
    last_close: Mapped[Decimal] = mapped_column(Money)
    days: Mapped[int] = mapped_column(Integer)
    sum_returns: Mapped[float] = mapped_column(Float)
    sum_squares: Mapped[float] = mapped_column(Float)
    sum_down_squares: Mapped[float] = mapped_column(Float)
    peak: Mapped[float] = mapped_column(Float)
    max_drawdown: Mapped[float] = mapped_column(Float)
    high_growth: Mapped[float] = mapped_column(Float)
    high_days: Mapped[int] = mapped_column(Integer)
    extreme_growth: Mapped[float] = mapped_column(Float)
    extreme_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
