"""A class's leaderboard: read in a fixed number of queries, computed by the pure core
(`keel.learning.leaderboard`), served as JSON and CSV, and published at each market day's close
to the teacher's `leaderboards` channel and to the class's own `leaderboard:<class id>` (its
students and its teacher subscribe to it).

What a classmate sees is this same board: display names and figures. It never carries an email,
a date of birth or an account id (`StandingOut`).

End-of-day equity: each member account's running figures (`keel.server.classes.figures`), folded
in at each close from the close point the engine writes for every account
(`TradingLoop.record_closing_equity`) with the index's regime classified at that close; the
leaderboard reads one row per student, never the equity points themselves.
"""

from __future__ import annotations

import csv
import io

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.money import to_money
from keel.learning import Library
from keel.learning.grading import unlocks
from keel.learning.leaderboard import STORMY, Score, Standing, StudentRecord, rank_class
from keel.risk.gate import BREAKER_CODES
from keel.server.classes import repository
from keel.server.classes.figures import figures_of
from keel.server.classes.models import ClassRow
from keel.server.classes.schemas import LeaderboardOut, RegimeFiguresOut, StandingOut
from keel.server.db import session_scope
from keel.server.pubsub import get_pubsub
from keel.server.runtime import Runtime

log = structlog.get_logger(__name__)

LEADERBOARDS = "leaderboards"
"""The private channel family: `leaderboards:<teacher id>` carries the teacher's classes' boards."""
CLASS_LEADERBOARD = "leaderboard"
"""`leaderboard:<class id>` carries one class's board to its students and its teacher."""


def class_channel(class_id: str) -> str:
    return f"{CLASS_LEADERBOARD}:{class_id}"


def lessons_mastered(library: Library | None, latest: dict[tuple[str, str], bool]) -> int:
    if library is None:
        return 0
    return sum(
        1
        for lesson in library.lessons
        if unlocks(sum(1 for q in lesson.quiz if latest.get((lesson.slug, q.id))), len(lesson.quiz))
    )


async def standings(
    session: AsyncSession, library: Library | None, class_row: ClassRow, score: Score
) -> list[Standing]:
    """Every student of the class, ranked by `score` (four queries, whatever the class size)."""
    accounts = await repository.member_accounts(session, class_row.id)
    counts = await repository.order_counts(session, accounts, BREAKER_CODES)
    latest = await repository.latest_answers_of(session, [item.user_id for item in accounts])
    total_lessons = len(library.lessons) if library is not None else 0
    records = []
    for item in accounts:
        orders, hits = counts.get(item.account_id, (0, 0))
        records.append(
            StudentRecord(
                student_id=item.user_id,
                name=item.name,
                figures=figures_of(item),
                orders=orders,
                breaker_hits=hits,
                lessons_mastered=lessons_mastered(library, latest.get(item.user_id, {})),
                lessons_total=total_lessons,
            )
        )
    return rank_class(records, score)


def _rounded(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


def standing_out(item: Standing) -> StandingOut:
    return StandingOut(
        rank=item.rank,
        user_id=item.student_id,
        name=item.name,
        score=_rounded(item.score),
        total_return=round(item.total_return, 6),
        sharpe=_rounded(item.sharpe),
        sortino=_rounded(item.sortino),
        calmar=_rounded(item.calmar),
        max_drawdown=round(item.max_drawdown, 6),
        breaker_compliance=_rounded(item.breaker_compliance),
        orders=item.orders,
        lesson_mastery=_rounded(item.lesson_mastery),
        days=item.days,
        equity=item.final_equity,
        regimes=[
            RegimeFiguresOut(
                regime=regime.name,
                total_return=_rounded(item.regime_returns[regime]),
                days=item.regime_days[regime],
            )
            for regime in STORMY
        ],
    )


async def leaderboard(
    session: AsyncSession, runtime: Runtime, class_row: ClassRow, score: Score | None = None
) -> LeaderboardOut:
    chosen = score or Score(class_row.score)
    live = runtime.scenarios.get(class_row.scenario_id)
    return LeaderboardOut(
        class_id=class_row.id,
        score=chosen.value,
        market_date=None if live is None else live.feed.market_date,
        standings=[
            standing_out(item)
            for item in await standings(session, runtime.lessons, class_row, chosen)
        ],
    )


CSV_COLUMNS = (
    "rank", "name", "score", "total_return", "sharpe", "sortino", "calmar", "max_drawdown",
    "breaker_compliance", "orders", "lesson_mastery", "days", "equity",
    "return_high", "days_high", "return_extreme", "days_extreme",
)  # fmt: skip


def leaderboard_csv(board: LeaderboardOut) -> str:
    """The leaderboard as CSV, ranked as shown (shares as fractions, equity in cash)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in board.standings:
        high, extreme = item.regimes
        cells = [
            item.rank, item.name, item.score, item.total_return, item.sharpe, item.sortino,
            item.calmar, item.max_drawdown, item.breaker_compliance, item.orders,
            item.lesson_mastery, item.days, f"{to_money(item.equity):f}", high.total_return, high.days,
            extreme.total_return, extreme.days,
        ]  # fmt: skip
        writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue()


async def publish_leaderboards(runtime: Runtime, scenario_id: str) -> None:
    """At a market day's close: each class of the scenario's board, to its teacher's channel and
    to the class's channel (its students)."""
    try:
        async for session in session_scope(runtime.sessionmaker):
            boards = [
                (row.teacher_id, await leaderboard(session, runtime, row))
                for row in await repository.classes_of_scenario(session, scenario_id)
            ]
        pubsub = get_pubsub(runtime)
        for teacher_id, board in boards:
            data = board.model_dump(mode="json")
            await pubsub.publish(f"{LEADERBOARDS}:{teacher_id}", data)
            await pubsub.publish(class_channel(board.class_id), data)
    except Exception:  # a board missed is refreshed at the next close; trading goes on
        log.exception("publishing leaderboards failed", scenario_id=scenario_id)
