"""Use cases of risk limits. Never commits.

Two layers per account: the holder's own limits (per account) and, for a minor, the guardians'
(per minor: one set binds every account of the minor, those opened later too — a minor cannot
walk around them with a new account, finding 10 of issue 12). In force is, rule by rule, the
tighter of the two (`keel.risk.limits_in_force`); a minor may tighten but not loosen what their
guardian set (`guardian-limit`). After the transaction commits the limits in force are handed to
every process's breaker board (`apply_after_commit`), for each account they bind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.risk import AccountRiskConfig, limits_in_force, looser_rules
from keel.server.account_risk import repository
from keel.server.account_risk.applying import apply_after_commit
from keel.server.account_risk.models import (
    GUARDIAN,
    OWNER,
    AccountRiskLimitsRow,
    GuardianRiskLimitsRow,
    RiskLimitColumns,
)
from keel.server.account_risk.schemas import (
    AccountRiskOut,
    LossCooldown,
    RiskLimitsIn,
    RiskLimitsOut,
    RuleSetters,
    StopLossGuard,
)
from keel.server.accounts.models import PaperAccount
from keel.server.auth.models import User
from keel.server.errors import ProblemError, not_found
from keel.server.guardians import repository as guardians
from keel.server.runtime import Runtime

HUNDRED = Decimal(100)
RULE_WORDS = {
    "daily_loss": "the daily loss limit",
    "drawdown": "the drawdown limit",
    "stoploss_guard": "the stop-loss guard",
    "loss_cooldown": "the cooldown after losses",
}


def guardian_label(name: str | None) -> str:
    """How a reason names the guardian: "your guardian Ada"."""
    return f"your guardian {name}" if name else "your guardian"


# ----- conversions ------------------------------------------------------------------------------


def config_from_input(body: RiskLimitsIn) -> AccountRiskConfig:
    """The request's limits as the breaker's config (percent → fraction, minutes → timedelta)."""
    guard, cooldown = body.stoploss_guard, body.loss_cooldown
    default = AccountRiskConfig()
    return AccountRiskConfig(
        daily_loss_limit=None if body.daily_loss_pct is None else body.daily_loss_pct / HUNDRED,
        max_drawdown=None if body.max_drawdown_pct is None else body.max_drawdown_pct / HUNDRED,
        stoploss_trades=guard.stop_exits if guard else None,
        stoploss_window=timedelta(minutes=guard.window_minutes)
        if guard
        else default.stoploss_window,
        stoploss_lock=timedelta(minutes=guard.pause_minutes) if guard else default.stoploss_lock,
        loss_streak=cooldown.losing_trades if cooldown else None,
        loss_cooldown=(
            timedelta(minutes=cooldown.cooldown_minutes) if cooldown else default.loss_cooldown
        ),
    )


def config_from_row(row: RiskLimitColumns) -> AccountRiskConfig:
    return AccountRiskConfig(
        daily_loss_limit=row.daily_loss_limit,
        max_drawdown=row.max_drawdown,
        stoploss_trades=row.stoploss_trades,
        stoploss_window=timedelta(minutes=row.stoploss_window_minutes),
        stoploss_lock=timedelta(minutes=row.stoploss_lock_minutes),
        loss_streak=row.loss_streak,
        loss_cooldown=timedelta(minutes=row.loss_cooldown_minutes),
    )


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def copy_config_to_row(config: AccountRiskConfig, row: RiskLimitColumns) -> None:
    row.daily_loss_limit = config.daily_loss_limit
    row.max_drawdown = config.max_drawdown
    row.stoploss_trades = config.stoploss_trades
    row.stoploss_window_minutes = _minutes(config.stoploss_window)
    row.stoploss_lock_minutes = _minutes(config.stoploss_lock)
    row.loss_streak = config.loss_streak
    row.loss_cooldown_minutes = _minutes(config.loss_cooldown)


def _pct(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else (fraction * HUNDRED).quantize(Decimal("0.01"))


def limits_out(config: AccountRiskConfig) -> RiskLimitsOut:
    guard = None
    if config.stoploss_trades is not None:
        guard = StopLossGuard(
            stop_exits=config.stoploss_trades,
            window_minutes=_minutes(config.stoploss_window),
            pause_minutes=_minutes(config.stoploss_lock),
        )
    cooldown = None
    if config.loss_streak is not None:
        cooldown = LossCooldown(
            losing_trades=config.loss_streak, cooldown_minutes=_minutes(config.loss_cooldown)
        )
    return RiskLimitsOut(
        daily_loss_pct=_pct(config.daily_loss_limit),
        max_drawdown_pct=_pct(config.max_drawdown),
        stoploss_guard=guard,
        loss_cooldown=cooldown,
    )


# ----- layers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layers:
    """An account's stored limits: the holder's own (defaults when none) and the guardian's."""

    own: AccountRiskConfig
    guardian: AccountRiskConfig | None
    guardian_name: str | None

    @property
    def in_force(self) -> AccountRiskConfig:
        return limits_in_force(self.own, self.guardian, guardian_label(self.guardian_name))


def _layers(
    own: AccountRiskLimitsRow | None, guardian: tuple[GuardianRiskLimitsRow, str | None] | None
) -> Layers:
    return Layers(
        config_from_row(own) if own is not None else AccountRiskConfig(),
        config_from_row(guardian[0]) if guardian is not None else None,
        guardian[1] if guardian is not None else None,
    )


async def layers_of(session: AsyncSession, account_id: str, holder_id: str) -> Layers:
    own = await repository.own_layer(session, account_id)
    guardian = await repository.guardian_layers(session, [holder_id])
    return _layers(own, guardian[0] if guardian else None)


async def in_force_by_account(
    session: AsyncSession, holder_ids: Sequence[str] | None = None
) -> dict[str, AccountRiskConfig]:
    """The limits in force of every account with stored limits (of `holder_ids`' accounts, or
    all): an account with its own limits, or whose holder's guardians set some."""
    guardians = {
        row.minor_id: (row, name)
        for row, name in await repository.guardian_layers(session, holder_ids)
    }
    holder_of = await repository.accounts_of(session, list(guardians))
    owned: dict[str, AccountRiskLimitsRow] = {}
    for row, holder in await repository.own_layers(session, holder_ids):
        owned[row.account_id] = row
        holder_of[row.account_id] = holder
    return {
        account_id: _layers(owned.get(account_id), guardians.get(holder)).in_force
        for account_id, holder in sorted(holder_of.items())
    }


async def all_limits_in_force(session: AsyncSession) -> dict[str, AccountRiskConfig]:
    """Every account with stored limits → the limits in force (for a process that starts)."""
    return await in_force_by_account(session)


async def apply_to_holder(session: AsyncSession, runtime: Runtime, holder_id: str) -> None:
    """Once committed, every account of `holder_id` gets its limits in force (a new account of a
    minor is bound by the guardians' limits from its first order)."""
    accounts = await repository.accounts_of(session, [holder_id])
    stored = await in_force_by_account(session, [holder_id])
    for account_id in sorted(accounts):
        apply_after_commit(
            session, runtime, account_id, stored.get(account_id, AccountRiskConfig())
        )


# ----- use cases --------------------------------------------------------------------------------


async def _account_and_role(
    session: AsyncSession, user: User, account_id: str
) -> tuple[PaperAccount, str]:
    """The account and whether `user` is its holder or its holder's linked guardian; 404 else."""
    row = await session.get(PaperAccount, account_id)
    if row is not None and row.user_id == user.id:
        return row, OWNER
    if row is not None and await guardians.link(session, user.id, row.user_id) is not None:
        return row, GUARDIAN
    raise not_found("account")


def _describe(runtime: Runtime, account: PaperAccount, role: str, layers: Layers) -> AccountRiskOut:
    account_id = account.id
    in_force = layers.in_force
    live = runtime.scenarios.get(account.scenario_id)
    risk = live.risk if live is not None else None
    level = risk.board.account(account_id).level.name if risk is not None else "OPEN"
    return AccountRiskOut(
        account_id=account_id,
        caller="owner" if role == OWNER else "guardian",
        in_force=limits_out(in_force),
        set_by=RuleSetters(**{rule: in_force.who_set(rule) for rule in RULE_WORDS}),
        own=limits_out(layers.own),
        guardian=limits_out(layers.guardian) if layers.guardian is not None else None,
        guardian_name=layers.guardian_name if layers.guardian is not None else None,
        breaker_level=level,
    )


async def get_limits(
    session: AsyncSession, runtime: Runtime, user: User, account_id: str
) -> AccountRiskOut:
    """The account's limits: in force, the holder's own and the guardian's."""
    account, role = await _account_and_role(session, user, account_id)
    layers = await layers_of(session, account_id, account.user_id)
    return _describe(runtime, account, role, layers)


async def set_limits(
    session: AsyncSession,
    runtime: Runtime,
    user: User,
    account_id: str,
    body: RiskLimitsIn,
    *,
    now: datetime,
) -> AccountRiskOut:
    """Replace the caller's layer: the holder's own limits of this account, or the guardian's
    limits of the holder — which bind every account of the minor."""
    account, role = await _account_and_role(session, user, account_id)
    config = config_from_input(body)
    current = await layers_of(session, account_id, account.user_id)
    if role == OWNER and current.guardian is not None:
        looser = looser_rules(config, current.guardian)
        if looser:
            words = ", ".join(RULE_WORDS[rule] for rule in looser)
            raise ProblemError(
                403,
                "guardian-limit",
                f"{guardian_label(current.guardian_name)} set {words} tighter: you may tighten "
                "these limits, not loosen them",
                rules=looser,
            )
    row: AccountRiskLimitsRow | GuardianRiskLimitsRow | None
    if role == OWNER:
        row = await repository.own_layer(session, account_id)
        if row is None:
            row = AccountRiskLimitsRow(account_id=account_id, layer=OWNER, updated_at=now)
    else:
        row = await repository.guardian_layer(session, account.user_id)
        if row is None:
            row = GuardianRiskLimitsRow(minor_id=account.user_id, updated_at=now)
    copy_config_to_row(config, row)
    row.updated_at = now
    row.updated_by = user.id
    await repository.add(session, row)
    if role == OWNER:
        layers = Layers(config, current.guardian, current.guardian_name)
        apply_after_commit(session, runtime, account_id, layers.in_force)
    else:
        layers = Layers(current.own, config, user.display_name)
        await apply_to_holder(session, runtime, account.user_id)
    return _describe(runtime, account, role, layers)


async def drop_guardian_limits(session: AsyncSession, runtime: Runtime, minor_id: str) -> None:
    """The minor's last guardian unlinked: their limits end (the holder's own apply)."""
    if await repository.guardian_layer(session, minor_id) is None:
        return
    await repository.delete_guardian_layer(session, minor_id)
    await apply_to_holder(session, runtime, minor_id)
