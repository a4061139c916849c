"""All SQL of the breakers module: the transition history and which accounts a user owns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Permission
from keel.risk import Scope, TransitionKind
from keel.server.accounts.models import PaperAccount
from keel.server.breakers.models import BreakerTransitionRow
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID


async def account_ids_of(session: AsyncSession, user_id: str) -> set[str]:
    rows = await session.execute(select(PaperAccount.id).where(PaperAccount.user_id == user_id))
    return set(rows.scalars())


async def standing_halts(
    session: AsyncSession, scenario_id: str = DEFAULT_SCENARIO_ID
) -> list[BreakerTransitionRow]:
    """The market and symbol halts an admin set in a scenario and nobody lifted: per breaker, its
    last forced transition, when that was to CLOSED (forced levels are pinned until resumed)."""
    query = (
        select(BreakerTransitionRow)
        .where(
            BreakerTransitionRow.scenario_id == scenario_id,
            BreakerTransitionRow.kind == TransitionKind.FORCE.value,
            BreakerTransitionRow.scope.in_([Scope.MARKET.value, Scope.SYMBOL.value]),
        )
        .order_by(BreakerTransitionRow.id)
    )
    last: dict[tuple[str, str], BreakerTransitionRow] = {}
    for row in (await session.execute(query)).scalars():
        last[(row.scope, row.scope_key)] = row
    return [row for row in last.values() if row.to_level == Permission.CLOSED.name]


async def transitions(
    session: AsyncSession,
    *,
    scope: str | None,
    key: str | None,
    since: datetime | None,
    limit: int,
    visible_accounts: set[str] | None,
    scenario_id: str = DEFAULT_SCENARIO_ID,
) -> Sequence[BreakerTransitionRow]:
    """Newest first, of one scenario. `visible_accounts` None: every account's; else only those
    accounts'."""
    query = select(BreakerTransitionRow).where(BreakerTransitionRow.scenario_id == scenario_id)
    if scope is not None:
        query = query.where(BreakerTransitionRow.scope == scope)
    if key is not None:
        query = query.where(BreakerTransitionRow.scope_key == key)
    if since is not None:
        query = query.where(BreakerTransitionRow.at >= since)
    if visible_accounts is not None:
        query = query.where(
            (BreakerTransitionRow.scope != Scope.ACCOUNT.value)
            | BreakerTransitionRow.scope_key.in_(visible_accounts)
        )
    query = query.order_by(BreakerTransitionRow.at.desc(), BreakerTransitionRow.id.desc())
    rows = await session.execute(query.limit(limit))
    return rows.scalars().all()
