"""Lessons as the API shows them. A lesson's questions never carry their answers or feedback:
those leave the server only in a graded result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MasteryLevel = Literal["not_started", "attempted", "familiar", "proficient"]


class SkillMasteryOut(BaseModel):
    """How well the learner knows one skill: the latest answer of each of its questions."""

    skill: str
    level: MasteryLevel
    right: int
    """Questions whose latest answer was right."""
    answered: int
    total: int
    percent: int
    """`right` out of `total`, in whole percent (rounded down)."""
    lessons: list[str]


class LessonSummaryOut(BaseModel):
    slug: str
    title: str
    summary: str
    skill: str
    position: int
    questions: int
    url: str
    mastery: SkillMasteryOut


class ChoiceOut(BaseModel):
    key: str
    text: str


class QuestionOut(BaseModel):
    """A question as the learner sees it: no answer, no feedback, no explanation."""

    lesson: str
    id: str
    text: str
    choices: list[ChoiceOut]


class RegimePiece(BaseModel):
    """The volatility lesson's live piece: SPX's regime in the default scenario now."""

    kind: Literal["spx-regime"] = "spx-regime"
    scenario_id: str
    symbol: str
    regime: str
    """LOW, NORMAL, HIGH or EXTREME."""
    reason: str
    """Why, in words (e.g. while the estimator still warms up)."""
    figures: dict[str, float]
    """What the classifier compared: the volatility estimates and the regime's thresholds."""
    breaker_level: str
    as_of: date | None
    """The last completed trading day the figures include."""


class RefusalOut(BaseModel):
    """An order the learner was refused, as it was explained."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    lesson: str | None
    account_id: str | None
    symbol: str | None
    side: str | None
    order_type: str | None
    amount: str | None
    detail: str
    figures: dict[str, Any]
    scenario_id: str | None
    market_time: datetime | None


class RefusalPiece(BaseModel):
    """The breakers lesson's live piece: the learner's own last refused order (None: none yet)."""

    kind: Literal["last-refusal"] = "last-refusal"
    refusal: RefusalOut | None


class LessonOut(LessonSummaryOut):
    """One lesson to read: its words (Markdown, and HTML rendered from it), quiz, live piece."""

    markdown: str
    html: str
    figures: dict[str, str]
    """The market figures the lesson quotes, computed from the bundled history at start-up."""
    glossary: list[str]
    quiz: list[QuestionOut]
    interactive: RegimePiece | RefusalPiece | None = Field(default=None, discriminator="kind")


class QuizIn(BaseModel):
    """Answers to some or all of a lesson's questions: question id → choice key."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, str] = Field(min_length=1, max_length=50)
    scenario_id: str = Field(default="default", min_length=1, max_length=36)
    """The market whose calendar schedules the reviews."""


class QuestionResultOut(BaseModel):
    question_id: str
    chosen: str
    correct: bool
    answer: str
    feedback: str | None
    """Why the chosen answer is wrong (None when right)."""
    explanation: str


class QuizResultOut(BaseModel):
    lesson: str
    right: int
    answered: int
    results: list[QuestionResultOut]
    mastery: SkillMasteryOut


class ProgressOut(BaseModel):
    skills: list[SkillMasteryOut]
    reviews_due: int
    """Questions due for review today in the scenario's calendar."""


class ReviewQueueOut(BaseModel):
    scenario_id: str
    market_date: date | None
    questions: list[QuestionOut]


class CheckOut(BaseModel):
    """A two-question check offered the first time a learner meets a refusal."""

    offered: bool
    code: str
    lesson: str | None
    url: str | None
    questions: list[QuestionOut]


class GlossaryEntryOut(BaseModel):
    slug: str
    term: str
    definition: str
    lesson: str | None
    """URL of the lesson that explains it, when one does."""


FeatureName = Literal["limit_orders", "stop_orders", "short_selling"]


class RequirementsIn(BaseModel):
    """Features to lock until a lesson is mastered: feature → lesson slug. Replaces the caller's
    own locks on the account (`{}` lifts them)."""

    model_config = ConfigDict(extra="forbid")

    requirements: dict[FeatureName, Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")]]


class RequirementOut(BaseModel):
    feature: FeatureName
    lesson: str
    title: str
    url: str
    set_by: Literal["owner", "guardian", "teacher"]
    unlocked: bool
    """True once the learner's latest quiz answers for the lesson are at least familiar."""
