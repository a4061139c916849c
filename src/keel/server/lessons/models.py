"""Tables: quiz answers, the spaced-review queue, and the refusals a learner met (teachable moments)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime


class QuizAnswerRow(Base):
    """One answer to one quiz question; mastery reads the latest per question."""

    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool] = mapped_column(Boolean)
    scenario_id: Mapped[str] = mapped_column(String(36))
    market_date: Mapped[date | None] = mapped_column(Date, default=None)
    """The scenario's trading day when it was answered (its calendar, not the wall's)."""
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewRow(Base):
    """A question in the learner's spaced-review queue: due on `due_on` (a trading day of the
    scenario), or done when `due_on` is None."""

    __tablename__ = "review_items"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lesson: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(36))
    first_on: Mapped[date] = mapped_column(Date)
    reviews_done: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date | None] = mapped_column(Date, index=True, default=None)


class RefusalMomentRow(Base):
    """An order a learner was refused, with the lesson that explains it (a teachable moment)."""

    __tablename__ = "refusal_moments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    lesson: Mapped[str | None] = mapped_column(String(64), default=None)
    account_id: Mapped[str | None] = mapped_column(String(36), default=None)
    symbol: Mapped[str | None] = mapped_column(String(16), default=None)
    side: Mapped[str | None] = mapped_column(String(8), default=None)
    order_type: Mapped[str | None] = mapped_column(String(16), default=None)
    amount: Mapped[str | None] = mapped_column(String(40), default=None)
    """The order's quantity (units) or notional (`$…`), as sent."""
    detail: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    scenario_id: Mapped[str | None] = mapped_column(String(36), default=None)
    market_time: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


OWNER = "owner"
GUARDIAN = "guardian"
TEACHER = "teacher"


class LessonRequirementRow(Base):
    """A feature of an account locked until a lesson is mastered, set by its holder (`owner`), a
    minor's guardian (`guardian`) or a class's teacher (`teacher`); every layer's lock binds."""

    __tablename__ = "lesson_requirements"

    account_id: Mapped[str] = mapped_column(
        ForeignKey("paper_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    feature: Mapped[str] = mapped_column(String(32), primary_key=True)
    layer: Mapped[str] = mapped_column(String(16), primary_key=True)
    lesson: Mapped[str] = mapped_column(String(64))
    set_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
