"""Request and response bodies of `/auth` and `/me`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from keel.server.auth.passwords import MAX_PASSWORD_LENGTH


def _printable(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("control characters are not allowed")
    return value


Password = Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_printable),
]
OneTimeCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=6, max_length=32),
    Field(description="A 6-digit authenticator code or a recovery code"),
]
OpaqueToken = Annotated[str, Field(min_length=1, max_length=256)]
JwtToken = Annotated[str, Field(min_length=1, max_length=4096)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterIn(_In):
    email: EmailStr = Field(max_length=320)
    password: Password
    display_name: DisplayName
    date_of_birth: date
    role: Literal["learner", "guardian"] = "learner"


class LoginIn(_In):
    email: Annotated[str, Field(min_length=1, max_length=320), AfterValidator(_printable)]
    password: Password


class LoginTwoFactorIn(_In):
    challenge_token: JwtToken
    code: OneTimeCode


class RefreshIn(_In):
    refresh_token: OpaqueToken


class PasswordChangeIn(_In):
    current_password: Password
    new_password: Password
    code: OneTimeCode | None = None


class CodeIn(_In):
    code: OneTimeCode


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class TwoFactorChallengeOut(BaseModel):
    challenge_token: str
    two_factor_required: Literal[True] = True


class UserOut(BaseModel):
    id: str
    email: str
    display_name: str
    date_of_birth: date
    role: str
    cohort: str = Field(description="`general` or `beta`: who sees flagged features first")
    is_minor: bool
    two_factor_enabled: bool
    one_time_sign_in: bool = Field(
        default=False,
        description="True while signed in with a one-time password (a roster import, a teacher "
        "an admin made): choose your own (POST /auth/password) first.",
    )
    created_at: datetime


class TotpEnrolmentOut(BaseModel):
    secret: str = Field(description="Base32 secret, for authenticator apps that cannot scan")
    otpauth_uri: str
    qr_svg: str = Field(description="The otpauth URI as a QR code, an SVG `data:` URI")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="Shown once; each works once")


class TwoFactorEnabledOut(RecoveryCodesOut):
    tokens: TokenPairOut = Field(
        description="A new sign-in for this device: every older session was ended when 2FA came on"
    )
