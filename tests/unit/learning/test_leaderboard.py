"""The leaderboard's figures on tiny equity tables whose results can be checked by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import Regime
from keel.learning.leaderboard import (
    Score,
    StudentRecord,
    compounded,
    daily_returns,
    figures_of,
    max_drawdown,
    rank_class,
    sharpe_ratio,
    sortino_ratio,
    standing,
)

DAYS = [date(2008, 9, d) for d in (2, 3, 4, 5)]


def record(
    name: str,
    *equity: str,
    orders: int = 0,
    hits: int = 0,
    regimes: dict[date, Regime] | None = None,
) -> StudentRecord:
    closes = [(day, Decimal(value)) for day, value in zip(DAYS, equity, strict=False)]
    figures = figures_of(Decimal(100), closes, regimes or {})
    return StudentRecord(name, name, figures, orders, hits, 3, 4)


@pytest.mark.parametrize(
    ("equity", "returns"),
    [
        ([100, 110, 99, 108.9], [0.10, -0.10, 0.10]),
        ([100, 100], [0.0]),
        ([100, 0, 50, 60], [-1.0, 0.2]),  # no return from nothing
        ([100], []),
    ],
)
def test_daily_returns(equity: list[float], returns: list[float]) -> None:
    assert daily_returns(equity) == pytest.approx(returns)


# returns +10 %, -10 %, +10 %: mean 1/30, sample stdev sqrt(((1/15)² · 2 + (2/15)²) / 2) = 0.11547,
# downside deviation sqrt(0.01 / 3) = 0.057735, annualised by sqrt(252) = 15.8745.
UP_DOWN_UP = [0.10, -0.10, 0.10]


@pytest.mark.parametrize(
    ("returns", "sharpe", "sortino"),
    [
        (UP_DOWN_UP, (1 / 30) / 0.1154701 * math.sqrt(252), (1 / 30) / 0.0577350 * math.sqrt(252)),
        ([0.01, 0.01, 0.01], None, None),  # no swing, no down day: no ratio, not infinity
        ([0.02], None, None),  # one day: no standard deviation
        (
            [-0.01, -0.03],
            -0.02 / math.sqrt(0.0002) * math.sqrt(252),
            -0.02 / math.sqrt(0.0005) * math.sqrt(252),
        ),
    ],
)
def test_sharpe_and_sortino(
    returns: list[float], sharpe: float | None, sortino: float | None
) -> None:
    assert sharpe_ratio(returns) == (None if sharpe is None else pytest.approx(sharpe, rel=1e-6))
    assert sortino_ratio(returns) == (None if sortino is None else pytest.approx(sortino, rel=1e-6))


def test_the_hand_figures() -> None:
    assert sharpe_ratio(UP_DOWN_UP) == pytest.approx(4.5826, abs=1e-4)
    assert sortino_ratio(UP_DOWN_UP) == pytest.approx(9.1652, abs=1e-4)


@pytest.mark.parametrize(
    ("equity", "drawdown"),
    [
        ([100, 110, 99, 108.9], 0.10),  # 110 → 99
        ([100, 90, 120, 60, 130], 0.50),  # 120 → 60, deeper than 100 → 90
        ([100, 101, 102], 0.0),
    ],
)
def test_max_drawdown(equity: list[float], drawdown: float) -> None:
    assert max_drawdown(equity) == pytest.approx(drawdown)


def test_one_student_with_regimes_and_compliance() -> None:
    regimes = {DAYS[0]: Regime.NORMAL, DAYS[1]: Regime.HIGH, DAYS[2]: Regime.EXTREME}
    student = record("ada", "110", "99", "108.9", orders=4, hits=1, regimes=regimes)
    figures = standing(student, Score.CALMAR)
    assert figures.total_return == pytest.approx(0.089)
    assert figures.max_drawdown == pytest.approx(0.10)
    assert figures.calmar == pytest.approx(0.89) and figures.score == figures.calmar
    assert figures.breaker_compliance == 0.75
    assert figures.lesson_mastery == 0.75
    # The day closing 2 September is the first return (+10 %, NORMAL); 3 September -10 % (HIGH);
    # 4 September +10 % (EXTREME).
    assert figures.regime_returns == {
        Regime.HIGH: pytest.approx(-0.10),
        Regime.EXTREME: pytest.approx(0.10),
    }
    assert figures.regime_days == {Regime.HIGH: 1, Regime.EXTREME: 1}
    assert figures.final_equity == Decimal("108.9") and figures.days == 3
    assert compounded([0.1, -0.1]) == pytest.approx(-0.01)


def test_ranked_by_the_chosen_score_with_the_raw_return_beside() -> None:
    steady = record("steady", "101", "102", "101.5", "102.5")  # small gain, small swings
    gambler = record("gambler", "130", "80", "140", "104")  # bigger return, huge swings
    idle = record("idle", "100", "100", "100", "100")  # no swing: no ratio, ranked last
    loser = record("loser", "99", "98", "97.5", "97")
    ranked = rank_class([gambler, idle, loser, steady], Score.SHARPE)
    assert [s.name for s in ranked] == ["steady", "gambler", "loser", "idle"]
    assert [s.rank for s in ranked] == [1, 2, 3, 4]
    assert ranked[1].total_return == pytest.approx(0.04)
    assert ranked[0].total_return == pytest.approx(0.025)  # ranked first on less return
    assert ranked[3].score is None and ranked[3].breaker_compliance is None


def test_equal_scores_share_a_rank() -> None:
    twins = [record("b", "110", "99", "108.9"), record("a", "110", "99", "108.9")]
    ranked = rank_class(twins, Score.SORTINO)
    assert [(s.name, s.rank) for s in ranked] == [("a", 1), ("b", 1)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=1, max_value=10**6, places=2, allow_nan=False),
        min_size=0,
        max_size=40,
    ),
    st.lists(st.sampled_from(list(Regime)), min_size=40, max_size=40),
)
def test_running_figures_equal_the_batch_computation(
    closes: list[Decimal], regimes: list[Regime]
) -> None:
    """Folding the closes one at a time gives the batch figures on the whole series."""
    days = [date(2008, 1, 1) + timedelta(days=k) for k in range(len(closes))]
    regime_of = dict(zip(days, regimes, strict=False))
    figures = figures_of(Decimal(1000), list(zip(days, closes, strict=True)), regime_of)
    equity = [1000.0, *(float(c) for c in closes)]
    returns = daily_returns(equity)
    assert figures.days == len(returns)
    assert figures.max_drawdown == pytest.approx(max_drawdown(equity), abs=1e-12)
    for batch, running in ((sharpe_ratio(returns), figures.sharpe),
                           (sortino_ratio(returns), figures.sortino)):  # fmt: skip
        if batch is None or running is None:
            # Only a series with (next to) no swing may differ, and then both say no ratio.
            assert batch is running or abs(batch or running or 0) > 1e6 or batch == running
        else:
            assert running == pytest.approx(batch, rel=1e-6, abs=1e-9)
    for regime in (Regime.HIGH, Regime.EXTREME):
        picked = [r for day, r in zip(days, returns, strict=False) if regime_of[day] is regime]
        expected = compounded(picked) if picked else None
        assert figures.regime_return(regime) == (
            None if expected is None else pytest.approx(expected, rel=1e-9, abs=1e-12)
        )
    assert figures.total_return == pytest.approx(equity[-1] / 1000 - 1, rel=1e-12, abs=1e-15)


def test_a_close_for_a_day_already_folded_in_is_ignored() -> None:
    once = figures_of(Decimal(100), [(DAYS[0], Decimal(110))], {})
    assert once.update(DAYS[0], Decimal(50), None) == once
    assert once.update(DAYS[1], Decimal(99), None).days == 2
