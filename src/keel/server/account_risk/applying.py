"""Handing an account's limits in force to the breaker boards, once the change has committed.

This process applies them right after the commit; the same limits go out on the internal pub/sub
channel `risk-limits` (never offered to WebSocket clients), so every other process (API replicas
and the engine, over Redis) applies them too. On start, every stored account's limits are applied
(`load_limits`, after the risk runtime is up and before the trading loop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from keel.risk import AccountRiskConfig
from keel.server.pubsub import Message, get_pubsub, publish_after_commit
from keel.server.runtime import Runtime

log = structlog.get_logger(__name__)

RISK_LIMITS_CHANNEL = "risk-limits"
_PENDING = "keel.account_risk.pending"


def limits_message(account_id: str, config: AccountRiskConfig) -> Message:
    """JSON-ready limits (fractions as strings, spans in seconds; `together`: the limits on all
    the holder's accounts as one, or null)."""

    def seconds(span: timedelta) -> int:
        return int(span.total_seconds())

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "account_id": account_id,
        "daily_loss_limit": text(config.daily_loss_limit),
        "daily_loss_lock": seconds(config.daily_loss_lock),
        "max_drawdown": text(config.max_drawdown),
        "drawdown_lock": seconds(config.drawdown_lock),
        "stoploss_trades": config.stoploss_trades,
        "stoploss_window": seconds(config.stoploss_window),
        "stoploss_lock": seconds(config.stoploss_lock),
        "loss_streak": config.loss_streak,
        "loss_cooldown": seconds(config.loss_cooldown),
        "set_by": config.set_by,
        "rule_setters": [list(pair) for pair in config.rule_setters],
        "together": (
            None if config.together is None else limits_message(account_id, config.together)
        ),
    }


def limits_from_message(message: Message) -> tuple[str, AccountRiskConfig]:
    def span(key: str) -> timedelta:
        return timedelta(seconds=int(message[key]))

    def fraction(key: str) -> Decimal | None:
        value = message[key]
        return None if value is None else Decimal(str(value))

    def count(key: str) -> int | None:
        value = message[key]
        return None if value is None else int(value)

    config = AccountRiskConfig(
        daily_loss_limit=fraction("daily_loss_limit"),
        daily_loss_lock=span("daily_loss_lock"),
        max_drawdown=fraction("max_drawdown"),
        drawdown_lock=span("drawdown_lock"),
        stoploss_trades=count("stoploss_trades"),
        stoploss_window=span("stoploss_window"),
        stoploss_lock=span("stoploss_lock"),
        loss_streak=count("loss_streak"),
        loss_cooldown=span("loss_cooldown"),
        set_by=str(message["set_by"]),
        rule_setters=tuple((str(rule), str(who)) for rule, who in message["rule_setters"]),
        together=(
            None if message.get("together") is None else limits_from_message(message["together"])[1]
        ),
    )
    return str(message["account_id"]), config


def configure(runtime: Runtime, account_id: str, config: AccountRiskConfig) -> None:
    """Set the account's limits on this process's breaker boards (keeping each one's mode):
    the board of the account's scenario is among them."""
    for live in runtime.scenarios.values():
        if live.risk is not None:
            policy = replace(config.policy, mode=live.risk.mode)
            live.risk.board.configure_account(account_id, replace(config, policy=policy))


def apply_after_commit(
    session: AsyncSession, runtime: Runtime, account_id: str, config: AccountRiskConfig
) -> None:
    """Once `session` commits: configure this process's board and tell the other processes."""
    pending: list[Callable[[], None]] = session.sync_session.info.setdefault(_PENDING, [])
    pending.append(lambda: configure(runtime, account_id, config))
    message = limits_message(account_id, config)
    publish_after_commit(session, get_pubsub(runtime), RISK_LIMITS_CHANNEL, message)


def listener(runtime: Runtime) -> Callable[[str, Message], None]:
    """A pub/sub listener applying the limits other processes committed."""

    def on_message(channel: str, message: Message) -> None:
        if channel == RISK_LIMITS_CHANNEL:
            configure(runtime, *limits_from_message(message))

    return on_message


@event.listens_for(Session, "after_commit")
def _apply_pending(session: Session) -> None:
    for apply in session.info.pop(_PENDING, None) or []:
        try:
            apply()
        except Exception:
            log.exception("applying account risk limits failed")


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


async def load_limits(runtime: Runtime) -> int:
    """Apply every stored account's limits in force to this process's board; how many."""
    from keel.server.account_risk.service import all_limits_in_force

    async with runtime.sessionmaker() as session:
        limits = await all_limits_in_force(session)
    for account_id, config in limits.items():
        configure(runtime, account_id, config)
    return len(limits)


async def start_account_limits(runtime: Runtime) -> Callable[[], None]:
    """Listen for limit changes made by any process, then load the stored ones; returns the
    function that stops listening."""
    remove = get_pubsub(runtime).add_listener(
        listener(runtime), wants=lambda channel: channel == RISK_LIMITS_CHANNEL
    )
    await load_limits(runtime)
    return remove
