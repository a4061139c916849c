"""Tables of the identity side: users, refresh tokens (one row per rotation) and recovery codes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from keel.domain.enums import Cohort, Role
from keel.server.db import Base, UTCDateTime
from keel.server.sealing import SealedString

ADULT_AGE_YEARS = 18


def new_id() -> str:
    return str(uuid.uuid4())


def age_on(date_of_birth: date, today: date) -> int:
    """Whole years between `date_of_birth` and `today` (a 29 February birthday counts on 1 March)."""
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Always stored lower-cased (see `normalize_email`)."""
    display_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(16), default=Role.LEARNER.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    """Set for an account a teacher's roster import created with a one-time password: until the
    learner picks their own (`POST /auth/password`), every other route answers 403."""
    cohort: Mapped[str] = mapped_column(
        String(16), default=Cohort.GENERAL.value, server_default=Cohort.GENERAL.value
    )
    """Who sees flagged features first (`general` or `beta`); admins set it."""

    totp_secret: Mapped[str | None] = mapped_column(SealedString(255), default=None)
    """Base32 secret, stored sealed (`keel.server.sealing`); set at enrolment, meaningful once
    `totp_enabled`."""
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    """The 30-second step of the last accepted code: a code is never accepted twice."""

    token_version: Mapped[int] = mapped_column(Integer, default=0)
    """Carried in every access token as `ver`; bumping it (password change) refuses all older ones."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def age_on(self, today: date) -> int:
        """Age in whole years on `today`."""
        return age_on(self.date_of_birth, today)

    def is_minor_on(self, today: date) -> bool:
        """True while the user is under 18 on `today` (pass `runtime.clock.now().date()`)."""
        return self.age_on(today) < ADULT_AGE_YEARS


class RefreshToken(Base):
    """An opaque refresh token, stored as its SHA-256. Rotation spends a row and adds one to the
    same family; presenting a spent row again revokes the whole family (token theft)."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_family_id", "family_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(String(36))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    spent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RecoveryCode(Base):
    """A single-use 2FA recovery code, stored as its SHA-256 (the codes carry 80 random bits)."""

    __tablename__ = "recovery_codes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
