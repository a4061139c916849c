"""The admins' changes to flags, one row per flag they changed (the file holds the rest)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keel.server.db import Base, UTCDateTime


class FlagChangeRow(Base):
    __tablename__ = "flag_changes"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(16), default=None)
    """`ENABLED` or `DISABLED`; None: as in the flags file."""
    default_variant: Mapped[str | None] = mapped_column(String(64), default=None)
    cohorts: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
    """Cohort → variant; None: the file's targeting."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
