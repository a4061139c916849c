"""Use cases of lessons: list with mastery, one lesson with its live piece, grading, progress,
the review queue, the check offered at a teachable moment, and recording a refused order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from keel.learning import Lesson, Library, Question, grade, mastery_level
from keel.server.errors import ProblemError, not_found
from keel.server.lessons import repository
from keel.server.lessons.calendar import ScenarioDay, scenario_day
from keel.server.lessons.links import lesson_url, problem_links
from keel.server.lessons.models import QuizAnswerRow, RefusalMomentRow, ReviewRow
from keel.server.lessons.schemas import (
    CheckOut,
    ChoiceOut,
    GlossaryEntryOut,
    LessonOut,
    LessonSummaryOut,
    ProgressOut,
    QuestionOut,
    QuestionResultOut,
    QuizIn,
    QuizResultOut,
    RefusalOut,
    RefusalPiece,
    RegimePiece,
    ReviewQueueOut,
    SkillMasteryOut,
)
from keel.server.runtime import Runtime
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility.service import volatility_out

CHECK_QUESTIONS = 2
REGIME_SYMBOL = "SPX"

Latest = dict[tuple[str, str], bool]


def library_of(runtime: Runtime) -> Library:
    if runtime.lessons is None:
        raise ProblemError(503, "not-ready", "The lessons are still loading. Try again soon.")
    return runtime.lessons


def _lesson(library: Library, slug: str) -> Lesson:
    lesson = library.lesson(slug)
    if lesson is None:
        raise not_found("lesson")
    return lesson


def question_out(lesson: Lesson, question: Question) -> QuestionOut:
    """A question without its answer, feedback or explanation."""
    choices = [ChoiceOut(key=c.key, text=c.text) for c in question.choices]
    return QuestionOut(lesson=lesson.slug, id=question.id, text=question.text, choices=choices)


def skill_mastery(library: Library, skill: str, latest: Latest) -> SkillMasteryOut:
    lessons = library.skills()[skill]
    keys = [(lesson.slug, q.id) for lesson in lessons for q in lesson.quiz]
    answered = [key for key in keys if key in latest]
    right = sum(1 for key in answered if latest[key])
    total = len(keys)
    level = mastery_level(right, total, len(answered))
    return SkillMasteryOut(
        skill=skill,
        level=level.value,
        right=right,
        answered=len(answered),
        total=total,
        percent=right * 100 // total if total else 0,
        lessons=[lesson.slug for lesson in lessons],
    )


def _summary(library: Library, lesson: Lesson, latest: Latest) -> dict[str, object]:
    return {
        "slug": lesson.slug,
        "title": lesson.title,
        "summary": lesson.summary,
        "skill": lesson.skill,
        "position": lesson.position,
        "questions": len(lesson.quiz),
        "url": lesson_url(lesson.slug),
        "mastery": skill_mastery(library, lesson.skill, latest),
    }


async def list_lessons(
    session: AsyncSession, runtime: Runtime, user_id: str
) -> list[LessonSummaryOut]:
    library = library_of(runtime)
    latest = await repository.latest_answers(session, user_id)
    return [LessonSummaryOut(**_summary(library, lesson, latest)) for lesson in library.lessons]


def regime_piece(runtime: Runtime) -> RegimePiece | None:
    """SPX's regime in the default scenario now (None where this process has no risk runtime)."""
    live = runtime.scenarios.get(DEFAULT_SCENARIO_ID)
    risk = live.risk if live is not None else None
    tracker = risk.trackers.get(REGIME_SYMBOL) if risk is not None else None
    if risk is None or tracker is None:
        return None
    shown = volatility_out(risk, tracker)
    return RegimePiece(
        scenario_id=DEFAULT_SCENARIO_ID,
        symbol=REGIME_SYMBOL,
        regime=shown.regime,
        reason=shown.reason,
        figures=shown.deciding_figures,
        breaker_level=shown.breaker_level,
        as_of=shown.as_of,
    )


async def lesson_detail(
    session: AsyncSession, runtime: Runtime, user_id: str, slug: str
) -> LessonOut:
    library = library_of(runtime)
    lesson = _lesson(library, slug)
    latest = await repository.latest_answers(session, user_id)
    interactive: RegimePiece | RefusalPiece | None = None
    if lesson.interactive == "spx-regime":
        interactive = regime_piece(runtime)
    elif lesson.interactive == "last-refusal":
        row = await repository.last_refusal(session, user_id)
        interactive = RefusalPiece(refusal=None if row is None else RefusalOut.model_validate(row))
    return LessonOut(
        **_summary(library, lesson, latest),
        markdown=lesson.markdown,
        html=lesson.html,
        figures=dict(lesson.figures),
        glossary=list(lesson.glossary),
        quiz=[question_out(lesson, q) for q in lesson.quiz],
        interactive=interactive,
    )


def _schedule(
    rows: dict[tuple[str, str], ReviewRow],
    user_id: str,
    lesson: Lesson,
    answered: Iterable[str],
    day: ScenarioDay,
) -> list[ReviewRow]:
    """Put newly answered questions in the review queue; move due ones to their next day."""
    new = []
    for question_id in answered:
        row = rows.get((lesson.slug, question_id))
        if row is None:
            row = ReviewRow(
                user_id=user_id,
                lesson=lesson.slug,
                question=question_id,
                scenario_id=day.scenario_id,
                first_on=day.today,
                reviews_done=0,
                due_on=day.due_on(day.today, 0),
            )
            new.append(row)
        elif row.due_on is not None and row.due_on <= day.today:
            row.reviews_done = day.reviews_done_today(row.first_on)
            row.due_on = day.due_on(row.first_on, row.reviews_done)
    return new


async def submit_quiz(
    session: AsyncSession, runtime: Runtime, user_id: str, slug: str, body: QuizIn
) -> QuizResultOut:
    library = library_of(runtime)
    lesson = _lesson(library, slug)
    results = grade(lesson, body.answers)
    day = scenario_day(runtime, body.scenario_id)
    now = runtime.clock.now()
    await repository.add_answers(
        session,
        [
            QuizAnswerRow(
                user_id=user_id,
                lesson=lesson.slug,
                question=r.question_id,
                choice=r.chosen,
                correct=r.correct,
                scenario_id=day.scenario_id,
                market_date=day.today,
                recorded_at=now,
            )
            for r in results
        ],
    )
    keys = [(lesson.slug, r.question_id) for r in results]
    rows = await repository.reviews(session, user_id, keys)
    await repository.add_reviews(
        session, _schedule(rows, user_id, lesson, [r.question_id for r in results], day)
    )
    latest = await repository.latest_answers(session, user_id)
    return QuizResultOut(
        lesson=lesson.slug,
        right=sum(1 for r in results if r.correct),
        answered=len(results),
        results=[
            QuestionResultOut(
                question_id=r.question_id,
                chosen=r.chosen,
                correct=r.correct,
                answer=r.answer,
                feedback=r.feedback,
                explanation=r.explanation,
            )
            for r in results
        ],
        mastery=skill_mastery(library, lesson.skill, latest),
    )


async def review_queue(
    session: AsyncSession, runtime: Runtime, user_id: str, scenario_id: str
) -> ReviewQueueOut:
    library = library_of(runtime)
    day = scenario_day(runtime, scenario_id)
    questions = []
    for row in await repository.due_reviews(session, user_id, scenario_id, day.today):
        lesson = library.lesson(row.lesson)
        question = lesson.question(row.question) if lesson is not None else None
        if lesson is not None and question is not None:  # content may have changed since
            questions.append(question_out(lesson, question))
    return ReviewQueueOut(scenario_id=scenario_id, market_date=day.today, questions=questions)


async def progress(
    session: AsyncSession, runtime: Runtime, user_id: str, scenario_id: str
) -> ProgressOut:
    library = library_of(runtime)
    latest = await repository.latest_answers(session, user_id)
    queue = await review_queue(session, runtime, user_id, scenario_id)
    skills = [skill_mastery(library, skill, latest) for skill in library.skills()]
    return ProgressOut(skills=skills, reviews_due=len(queue.questions))


async def check_for(session: AsyncSession, runtime: Runtime, user_id: str, code: str) -> CheckOut:
    """Two questions of the lesson behind refusal `code`, offered the first time the learner met
    it (later meetings: `offered` false, no questions)."""
    library = library_of(runtime)
    lesson = library.lesson_for_problem(code)
    met = await repository.refusals_with_code(session, user_id, code)
    if lesson is None or met != 1:
        return CheckOut(
            offered=False,
            code=code,
            lesson=None if lesson is None else lesson.slug,
            url=None if lesson is None else lesson_url(lesson.slug),
            questions=[],
        )
    latest = await repository.latest_answers(session, user_id)
    # Questions not yet answered right come first; the quiz's order otherwise (deterministic).
    ordered = sorted(lesson.quiz, key=lambda q: latest.get((lesson.slug, q.id), False))
    chosen = ordered[:CHECK_QUESTIONS]
    return CheckOut(
        offered=True,
        code=code,
        lesson=lesson.slug,
        url=lesson_url(lesson.slug),
        questions=[question_out(lesson, q) for q in chosen],
    )


def glossary(runtime: Runtime) -> list[GlossaryEntryOut]:
    library = library_of(runtime)
    return [
        _entry_out(entry.slug, runtime)
        for entry in sorted(library.glossary.values(), key=lambda e: e.term.lower())
    ]


def _entry_out(slug: str, runtime: Runtime) -> GlossaryEntryOut:
    entry = library_of(runtime).glossary.get(slug)
    if entry is None:
        raise not_found("glossary entry")
    return GlossaryEntryOut(
        slug=entry.slug,
        term=entry.term,
        definition=entry.definition,
        lesson=None if entry.lesson is None else lesson_url(entry.lesson),
    )


def glossary_entry(runtime: Runtime, slug: str) -> GlossaryEntryOut:
    return _entry_out(slug, runtime)


async def record_refusal(
    runtime: Runtime,
    user_id: str,
    *,
    code: str,
    detail: str,
    figures: dict[str, object],
    account_id: str,
    symbol: str,
    side: str,
    order_type: str,
    amount: str | None,
) -> None:
    """Store an order refused at placement (its own transaction: the order stored nothing)."""
    link = problem_links(code).get("lesson")
    async with runtime.sessionmaker() as session, session.begin():
        scenario_id = await repository.account_scenario(session, user_id, account_id)
        live = runtime.scenarios.get(scenario_id) if scenario_id is not None else None
        market_time: datetime | None = live.clock.now() if live is not None else None
        await repository.add_refusal(
            session,
            RefusalMomentRow(
                user_id=user_id,
                code=code,
                lesson=None if link is None else link.rsplit("/", 1)[-1],
                account_id=account_id if scenario_id is not None else None,
                symbol=symbol,
                side=side,
                order_type=order_type,
                amount=amount,
                detail=detail[:2000],
                figures={
                    k: v if isinstance(v, int | float | str) else str(v) for k, v in figures.items()
                },
                scenario_id=scenario_id,
                market_time=market_time,
                recorded_at=runtime.clock.now(),
            ),
        )
