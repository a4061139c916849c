"""A class's leaderboard: each student's return, risk-adjusted ratios, worst drop, breaker
compliance and lesson mastery, ranked by the score the teacher chose.

Pure: the server hands each student's end-of-day equity as running figures
(`keel.learning.equity_figures.EquityFigures`, updated at each close with the index's regime),
order counts and lessons mastered. Money stays `Decimal`; the ratios are analytics, in float. The
batch functions here (`daily_returns`, `sharpe_ratio` …) are the definitions the running figures
are tested against.

Definitions (daily figures, no risk-free rate, 252 trading days a year):

- `return` = last equity / starting cash - 1;
- daily returns r_t = E_t / E_(t-1) - 1, starting from the starting cash;
- `sharpe` = mean(r) / stdev(r, one degree of freedom) × √252 (None below two returns, or no swing);
- `sortino` = mean(r) / √(mean(min(r, 0)²)) × √252 (None without a down day);
- `max_drawdown` = the largest 1 - E_t / max(E_0 … E_t), as a positive share;
- `calmar` = return / max_drawdown (None without a drop);
- `breaker_compliance` = orders neither refused nor cut by a breaker / orders (None without any);
- per regime: the compounded return of the days whose index regime (as classified at that day's
  close) was HIGH, and EXTREME.

A raw-return leaderboard invites end-of-game gambling; a risk-adjusted one does not, so the score
is one of the ratios and the raw return is shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from keel.domain.enums import Regime
from keel.learning.equity_figures import RELATIVE_TOLERANCE, TRADING_DAYS, EquityFigures

STORMY = (Regime.HIGH, Regime.EXTREME)
"""The regimes shown per student: how each did while the market was jumpy."""


class Score(StrEnum):
    """What ranks a class: a return for the risk taken, never the raw return alone."""

    SHARPE = "sharpe"
    SORTINO = "sortino"
    CALMAR = "calmar"


@dataclass(frozen=True)
class StudentRecord:
    """What the leaderboard judges of one student."""

    student_id: str
    name: str
    figures: EquityFigures
    """Their end-of-day equity so far, as running figures."""
    orders: int = 0
    breaker_hits: int = 0
    """Orders refused or cut by a circuit breaker (`keel.risk.gate.BREAKER_CODES`)."""
    lessons_mastered: int = 0
    lessons_total: int = 0


@dataclass(frozen=True)
class Standing:
    """One student's figures (shares as fractions: 0.05 is 5 %)."""

    student_id: str
    name: str
    rank: int
    score: float | None
    total_return: float
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    max_drawdown: float
    breaker_compliance: float | None
    orders: int
    lesson_mastery: float | None
    days: int
    regime_returns: Mapping[Regime, float | None]
    """Compounded return over the days in each stormy regime (None: no such day)."""
    regime_days: Mapping[Regime, int]
    final_equity: Decimal


def figures_of(
    starting_cash: Decimal, closes: Sequence[tuple[date, Decimal]], regimes: Mapping[date, Regime]
) -> EquityFigures:
    """The running figures of a run of end-of-day closes (oldest first)."""
    figures = EquityFigures.start(starting_cash)
    for day, equity in closes:
        figures = figures.update(day, equity, regimes.get(day))
    return figures


def daily_returns(equity: Sequence[float]) -> list[float]:
    """r_t = E_t / E_(t-1) - 1 for consecutive points (none from a point at zero)."""
    returns = []
    for before, after in pairwise(equity):
        if before > 0:
            returns.append(after / before - 1.0)
    return returns


def sharpe_ratio(returns: Sequence[float]) -> float | None:
    """Annualised mean over standard deviation of daily returns (None: < 2 days or no swing)."""
    if len(returns) < 2:
        return None
    mean = sum(returns) / len(returns)
    variance = sum((r - mean) ** 2 for r in returns) / (len(returns) - 1)
    if variance <= RELATIVE_TOLERANCE * sum(r * r for r in returns) / len(returns):
        return None
    return mean / math.sqrt(variance) * math.sqrt(TRADING_DAYS)


def sortino_ratio(returns: Sequence[float]) -> float | None:
    """Annualised mean over downside deviation (target 0) of daily returns (None: no down day)."""
    if not returns:
        return None
    downside = math.sqrt(sum(min(r, 0.0) ** 2 for r in returns) / len(returns))
    if downside <= 0:
        return None
    return (sum(returns) / len(returns)) / downside * math.sqrt(TRADING_DAYS)


def max_drawdown(equity: Sequence[float]) -> float:
    """The largest fall from a running peak, as a positive share of that peak (0: never fell)."""
    peak, worst = -math.inf, 0.0
    for value in equity:
        peak = max(peak, value)
        if peak > 0:
            worst = max(worst, 1.0 - value / peak)
    return worst


def compounded(returns: Sequence[float]) -> float:
    """The return of a run of daily returns, compounded."""
    growth = 1.0
    for r in returns:
        growth *= 1.0 + r
    return growth - 1.0


def standing(record: StudentRecord, score: Score) -> Standing:
    """One student's figures, scored by `score` (rank 0 until `rank_class` ranks them)."""
    figures = record.figures
    sharpe, sortino, calmar = figures.sharpe, figures.sortino, figures.calmar
    return Standing(
        student_id=record.student_id,
        name=record.name,
        rank=0,
        score={Score.SHARPE: sharpe, Score.SORTINO: sortino, Score.CALMAR: calmar}[score],
        total_return=figures.total_return,
        sharpe=sharpe,
        sortino=sortino,
        calmar=calmar,
        max_drawdown=figures.max_drawdown,
        breaker_compliance=(
            (record.orders - record.breaker_hits) / record.orders if record.orders else None
        ),
        orders=record.orders,
        lesson_mastery=(
            record.lessons_mastered / record.lessons_total if record.lessons_total else None
        ),
        days=figures.days,
        regime_returns={regime: figures.regime_return(regime) for regime in STORMY},
        regime_days={regime: figures.regime_days(regime) for regime in STORMY},
        final_equity=figures.last_close,
    )


def rank_class(records: Sequence[StudentRecord], score: Score) -> list[Standing]:
    """Every student ranked by `score`, highest first; a student without a score yet (too few
    days, no swing) ranks after those with one; ties go to the higher raw return, then the
    name. Ranks are 1, 2, 3 … with equal score and return sharing a rank."""
    judged = [standing(record, score) for record in records]

    def key(item: Standing) -> tuple[bool, float, float, str]:
        return (item.score is None, -(item.score or 0.0), -item.total_return, item.name)

    judged.sort(key=key)
    ranked: list[Standing] = []
    for position, item in enumerate(judged, start=1):
        before = ranked[-1] if ranked else None
        same = before is not None and (before.score, before.total_return) == (
            item.score,
            item.total_return,
        )
        rank = before.rank if same and before is not None else position
        ranked.append(replace(item, rank=rank))
    return ranked
