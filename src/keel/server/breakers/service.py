"""Use cases of the breakers: where every breaker stands, the stored history, admin halt/resume.

Never commits: reads use the request's session; the risk runtime stores its own transitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Permission, Role
from keel.risk import BreakerMachine, IllegalBreakerTransition, Scope
from keel.risk.transitions import breaker_name
from keel.server.auth.models import User
from keel.server.breakers import repository
from keel.server.breakers.component import RiskRuntime
from keel.server.breakers.models import BreakerTransitionRow
from keel.server.breakers.publishing import json_figures
from keel.server.breakers.schemas import BreakerOut, BreakersOut, BreakerTransitionOut, ForceIn
from keel.server.errors import ProblemError


def breaker_out(machine: BreakerMachine) -> BreakerOut:
    state = machine.state
    return BreakerOut(
        scope=machine.scope.value,
        key=machine.scope_key,
        breaker=breaker_name(machine.scope, machine.scope_key),
        level=state.level.name,
        effective_level=machine.effective_level.name,
        mode=machine.policy.mode.value,
        rule=state.rule,
        reason=state.reason,
        cause=state.cause,
        since=state.since,
        reopen_at=state.reopen_at,
        pinned=state.pinned,
        probing=state.probing,
        trips=state.trips,
        condition=state.condition,
        figures=json_figures(state.figures),
    )


async def visible_accounts(session: AsyncSession, user: User) -> set[str] | None:
    """Accounts whose breakers `user` may see: an admin every one (None), others their own."""
    if user.role == Role.ADMIN.value:
        return None
    return await repository.account_ids_of(session, user.id)


async def current(session: AsyncSession, risk: RiskRuntime, user: User) -> BreakersOut:
    """The market-wide breaker, every symbol's, and the accounts' the caller may see."""
    allowed = await visible_accounts(session, user)
    machines = [
        m
        for m in risk.board.machines()
        if m.scope is not Scope.ACCOUNT or allowed is None or m.scope_key in allowed
    ]
    return BreakersOut(
        market_time=risk.feed.market_time, breakers=[breaker_out(m) for m in machines]
    )


async def history(
    session: AsyncSession,
    risk: RiskRuntime,
    user: User,
    *,
    scope: str | None,
    key: str | None,
    since: datetime | None,
    limit: int,
) -> Sequence[BreakerTransitionRow]:
    """Stored transitions, newest first (pending ones are stored first)."""
    if scope is not None and scope not in {s.value for s in Scope}:
        raise ProblemError(
            422, "validation-error", f"unknown scope {scope!r}; use market, symbol or account"
        )
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # a time without an offset is read as UTC
    await risk.outbox.flush(session)
    return await repository.transitions(
        session,
        scope=scope,
        key=key.strip().upper() if key and scope == Scope.SYMBOL.value else key,
        since=since,
        limit=limit,
        visible_accounts=await visible_accounts(session, user),
        scenario_id=risk.feed.scenario_id,
    )


async def force(
    session: AsyncSession, risk: RiskRuntime, admin: User, body: ForceIn, level: Permission
) -> BreakerTransitionOut:
    """Admin halt (CLOSED, pinned) or resume (OPEN) of the market or one symbol."""
    symbol: str | None = None
    if body.scope == "market" and body.symbol is not None:
        raise ProblemError(422, "validation-error", "a market halt takes no `symbol`")
    if body.scope == "symbol":
        if body.symbol is None:
            raise ProblemError(422, "validation-error", "a symbol halt needs `symbol`")
        symbol = body.symbol.strip().upper()
        if symbol not in risk.trackers:
            raise ProblemError(404, "unknown-symbol", f"no tradable instrument {body.symbol!r}")
    verb = "halted" if level is Permission.CLOSED else "resumed"
    reason = body.reason or f"{verb} by an admin"
    try:
        # Who halted is in the figures every learner reads: the admin's id, never their email.
        transition = await risk.force(
            level, symbol=symbol, by=f"admin {admin.id}", reason=reason, session=session
        )
    except IllegalBreakerTransition as error:
        raise ProblemError(409, "breaker-conflict", str(error)) from error
    return BreakerTransitionOut(
        scope=transition.scope.value,
        scope_key=transition.scope_key,
        from_level=transition.from_level.name,
        to_level=transition.to_level.name,
        kind=transition.kind.value,
        rule=transition.rule,
        reason=transition.reason,
        figures=dict(transition.figures),
        at=transition.at,
        reopen_at=transition.reopen_at,
        enforced=transition.enforced,
    )
