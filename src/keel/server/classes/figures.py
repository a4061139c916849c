"""Each class member's running end-of-day figures, folded in at every market day's close.

The engine's close step (`TradingLoop.record_closing_equity`) hands the day's closing equity of
every account of the scenario; the accounts that belong to a class get their
`keel.learning.equity_figures.EquityFigures` updated with it and the index's regime at that close,
in the same transaction as the equity points. A reset account (a new epoch) starts again from its
starting cash; a close already folded in (a takeover replaying a day) is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Regime
from keel.learning.equity_figures import EquityFigures
from keel.server.classes import repository
from keel.server.classes.models import EquityFiguresRow
from keel.server.classes.repository import MemberAccount

STORED = (
    "last_close", "days", "sum_returns", "sum_squares", "sum_down_squares", "peak",
    "max_drawdown", "high_growth", "high_days", "extreme_growth", "extreme_days",
)  # fmt: skip
"""The fields of `EquityFigures` stored as columns of the same names (plus `as_of`)."""


def figures_of(member: MemberAccount) -> EquityFigures:
    """The member's figures for its current epoch (a fresh start if none are stored)."""
    row = member.figures
    if row is None or row.epoch != member.epoch:
        return EquityFigures.start(member.starting_cash)
    return EquityFigures(
        starting_cash=member.starting_cash,
        as_of=row.as_of,
        **{name: getattr(row, name) for name in STORED},
    )


async def fold_close(
    session: AsyncSession,
    scenario_id: str,
    day: date,
    regime: Regime | None,
    closes: Mapping[str, Decimal],
    *,
    now: datetime,
) -> bool:
    """Fold the day's closing equity into the figures of the scenario's class members; False
    when no class trades in this scenario (nothing to do, and no leaderboard to publish)."""
    members = await repository.scenario_member_accounts(session, scenario_id)
    for member in members:
        equity = closes.get(member.account_id)
        if equity is None:
            continue
        before = figures_of(member)
        after = before.update(day, equity, regime)
        if after is before:
            continue
        row = member.figures
        if row is None:
            row = EquityFiguresRow(account_id=member.account_id)
            session.add(row)
        row.epoch, row.as_of, row.updated_at = member.epoch, day, now
        for name in STORED:
            setattr(row, name, getattr(after, name))
    await session.flush()
    return bool(members)
