"""Pydantic shapes of classes, rosters, students and leaderboards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from keel.server.accounts.schemas import AccountOut
from keel.server.auth.schemas import DisplayName
from keel.server.lessons.schemas import FeatureName, ProgressOut
from keel.server.market.schemas import CashStr
from keel.server.orders.schemas import OrderOut
from keel.server.scenarios.schemas import ScenarioIn

ScoreName = Literal["sharpe", "sortino", "calmar"]
LessonSlug = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClassIn(_In):
    """A new class and its market: `scenario` creates one for the class (the teacher controls
    its clock), `scenario_id` picks one the teacher created before (an admin may pick any)."""

    name: DisplayName
    scenario: ScenarioIn | None = Field(
        default=None,
        description="A new market for the class: start date, speed, universe, starting cash, "
        "rules (max_position_fraction: no single position above this share of starting cash).",
    )
    scenario_id: str | None = Field(default=None, max_length=36)
    score: ScoreName = Field(default="sortino", description="What ranks the leaderboard.")
    required_lessons: dict[FeatureName, LessonSlug] = Field(
        default_factory=dict,
        description="Feature → lesson: locked on every student's account until mastered.",
    )


class ClassPatchIn(_In):
    score: ScoreName | None = None
    name: DisplayName | None = None


class ClassOut(BaseModel):
    id: str
    name: str
    teacher_name: str
    scenario_id: str
    score: ScoreName
    required_lessons: dict[str, str]
    max_position_fraction: Decimal | None = Field(
        description="The class's rule: one position at most this share of the starting cash."
    )
    join_code: str | None = Field(description="Shown to the class's teacher and admins only.")
    student_count: int | None = Field(description="Shown to the class's teacher and admins only.")
    my_account_id: str | None = Field(description="For a student: their account in the class.")
    created_at: datetime


class RosterIn(_In):
    csv: str = Field(
        min_length=1,
        max_length=200_000,
        description="CSV text with a header row: name,email,date_of_birth (YYYY-MM-DD).",
    )


class RosterErrorOut(BaseModel):
    row: int = Field(description="The line of the CSV (the header is line 1).")
    field: str
    message: str


class NewStudentOut(BaseModel):
    row: int
    user_id: str
    name: str
    email: str
    account_id: str
    one_time_password: str = Field(
        description="Shown this once: the student must choose their own at first sign-in."
    )


class RosterOut(BaseModel):
    class_id: str
    created: list[NewStudentOut]


class JoinIn(_In):
    code: str = Field(min_length=4, max_length=16)


class StudentOut(BaseModel):
    user_id: str
    name: str
    email: str
    is_minor: bool
    account_id: str
    via: str
    joined_at: datetime
    has_signed_in: bool = Field(description="False while the one-time password is unchanged.")


class StudentDetailOut(BaseModel):
    """What the teacher reads of one student, read-only: the student's own view of it."""

    student: StudentOut
    account: AccountOut
    orders: list[OrderOut]
    progress: ProgressOut


class NewTeacherIn(_In):
    email: EmailStr = Field(max_length=320)
    display_name: DisplayName
    date_of_birth: date


class NewTeacherOut(BaseModel):
    user_id: str
    email: str
    one_time_password: str = Field(description="Shown this once; changed at first sign-in.")


class RegimeFiguresOut(BaseModel):
    regime: Literal["HIGH", "EXTREME"]
    total_return: float | None = Field(description="Compounded over those days; null: none.")
    days: int


class StandingOut(BaseModel):
    rank: int
    user_id: str
    name: str
    score: float | None = Field(description="The chosen score; null: not enough days yet.")
    total_return: float = Field(description="Raw return since the start (0.05 is 5 %).")
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    max_drawdown: float
    breaker_compliance: float | None = Field(
        description="Share of orders no breaker refused or cut; null: no order yet."
    )
    orders: int
    lesson_mastery: float | None = Field(description="Share of lessons passed (familiar+).")
    days: int
    equity: CashStr
    regimes: list[RegimeFiguresOut]


class LeaderboardOut(BaseModel):
    class_id: str
    score: ScoreName
    market_date: date | None
    standings: list[StandingOut]
