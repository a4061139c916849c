"""All SQL of the volatility module: stored regime changes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility.models import RegimeChangeRow


async def regime_changes(
    session: AsyncSession, symbol: str | None, limit: int, scenario_id: str = DEFAULT_SCENARIO_ID
) -> Sequence[RegimeChangeRow]:
    """Newest first, of one scenario, optionally of one symbol."""
    query = select(RegimeChangeRow).where(RegimeChangeRow.scenario_id == scenario_id)
    if symbol is not None:
        query = query.where(RegimeChangeRow.symbol == symbol)
    query = query.order_by(RegimeChangeRow.at.desc(), RegimeChangeRow.id.desc()).limit(limit)
    return (await session.execute(query)).scalars().all()
