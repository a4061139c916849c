"""All SQL of autopilot: which accounts it trades for, and the decisions it stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.accounts.models import PaperAccount
from keel.server.autopilot.models import AutopilotDecisionRow


async def autopilot_accounts(session: AsyncSession, scenario_id: str) -> list[str]:
    """Ids of the scenario's accounts with autopilot on, in id order."""
    query = (
        select(PaperAccount.id)
        .where(PaperAccount.scenario_id == scenario_id, PaperAccount.autopilot.is_(True))
        .order_by(PaperAccount.id)
    )
    return list((await session.execute(query)).scalars())


async def decided(session: AsyncSession, account_id: str, symbol: str, signal_day: date) -> bool:
    """Whether autopilot already decided for the account, symbol and signal day."""
    query = select(AutopilotDecisionRow.id).where(
        AutopilotDecisionRow.account_id == account_id,
        AutopilotDecisionRow.symbol == symbol,
        AutopilotDecisionRow.signal_day == signal_day,
    )
    return (await session.execute(query)).first() is not None


async def recent_decisions(
    session: AsyncSession, account_id: str, limit: int
) -> Sequence[AutopilotDecisionRow]:
    """The account's latest decisions, newest first."""
    query = (
        select(AutopilotDecisionRow)
        .where(AutopilotDecisionRow.account_id == account_id)
        .order_by(
            AutopilotDecisionRow.signal_day.desc(),
            AutopilotDecisionRow.time.desc(),
            AutopilotDecisionRow.symbol,
        )
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()
