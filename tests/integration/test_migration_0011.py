"""Migration 0011 keeps a guardian's limits: per-account rows become one row per minor, the
tightest of each rule where the minor's accounts differed (finding 10 of issue 12)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from keel.server.db import Money, UTCDateTime, create_engine
from keel.server.migrate import upgrade

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
COUNTS = ("stoploss_trades", "loss_streak")
SPANS = ("stoploss_window_minutes", "stoploss_lock_minutes", "loss_cooldown_minutes")


@pytest.fixture
async def fresh_engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database of the test backend (not the shared test schema)."""
    if backend == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'migrate.db'}", pool_size=1)
        yield engine
        await engine.dispose()
        return
    from tests.e2e.servers import postgres_database

    with postgres_database() as url:
        engine = create_engine(url, pool_size=1)
        yield engine
        await engine.dispose()


async def test_guardian_limits_move_to_the_minor_keeping_the_tightest(
    fresh_engine: AsyncEngine,
) -> None:
    await upgrade(fresh_engine, "0010")
    users = sa.table(
        "users",
        *(sa.column(name) for name in ("id", "email", "display_name", "role", "password_hash")),
        *(sa.column(name) for name in ("is_active", "totp_enabled", "token_version")),
        sa.column("date_of_birth", sa.Date()),
        sa.column("created_at", UTCDateTime()),
    )
    accounts = sa.table(
        "paper_accounts",
        *(sa.column(name) for name in ("id", "user_id", "name", "epoch", "ledger_length")),
        sa.column("starting_cash", Money()),
        sa.column("cash", Money()),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    limits = sa.table(
        "account_risk_limits",
        *(sa.column(name) for name in ("account_id", "layer", "updated_by")),
        *(sa.column(name) for name in (*COUNTS, *SPANS)),
        sa.column("daily_loss_limit", Money()),
        sa.column("max_drawdown", Money()),
        sa.column("updated_at", UTCDateTime()),
    )
    async with fresh_engine.begin() as connection:
        for user_id, role in (("minor", "learner"), ("parent", "guardian"), ("adult", "learner")):
            await connection.execute(
                users.insert().values(
                    id=user_id,
                    email=f"{user_id}@example.com",
                    display_name="X",
                    role=role,
                    password_hash="h",  # pragma: allowlist secret
                    is_active=True,
                    totp_enabled=False,
                    token_version=0,
                    date_of_birth=date(2012 if user_id == "minor" else 1980, 1, 1),
                    created_at=NOW,
                )
            )
        for account_id, user_id in (("a1", "minor"), ("a2", "minor"), ("b1", "adult")):
            await connection.execute(
                accounts.insert().values(
                    id=account_id,
                    user_id=user_id,
                    name="P",
                    epoch=0,
                    ledger_length=0,
                    starting_cash=Decimal(1000),
                    cash=Decimal(1000),
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        rows = [
            # Two guardian layers that differ, rule by rule; owner layers that must stay.
            ("a1", "guardian", Decimal("0.05"), None, 3, None, 360, 120, 30),
            ("a2", "guardian", Decimal("0.03"), Decimal("0.2"), 4, 2, 720, 60, 30),
            ("a1", "owner", Decimal("0.02"), None, None, None, 360, 120, 30),
            ("b1", "owner", Decimal("0.04"), None, None, None, 360, 120, 30),
        ]
        names = ("account_id", "layer", "daily_loss_limit", "max_drawdown", *COUNTS, *SPANS)
        for row in rows:
            values = dict(zip(names, row, strict=True))
            await connection.execute(
                limits.insert().values(**values, updated_at=NOW, updated_by="parent")
            )
    await upgrade(fresh_engine)
    async with fresh_engine.connect() as connection:
        moved = (
            await connection.execute(
                text(
                    "SELECT minor_id, daily_loss_limit, max_drawdown, stoploss_trades, "
                    "stoploss_window_minutes, stoploss_lock_minutes, loss_streak, "
                    "loss_cooldown_minutes, updated_by FROM guardian_risk_limits"
                )
            )
        ).all()
        kept = (
            await connection.execute(
                text("SELECT account_id, layer FROM account_risk_limits ORDER BY account_id")
            )
        ).all()
    assert len(moved) == 1
    minor, daily, drawdown, stops, window, lock, streak, cooldown, setter = moved[0]
    assert minor == "minor" and setter == "parent"
    assert Decimal(str(daily)) == Decimal("0.03") and Decimal(str(drawdown)) == Decimal("0.2")
    assert (stops, window, lock, streak, cooldown) == (3, 720, 120, 2, 30)
    assert [tuple(row) for row in kept] == [("a1", "owner"), ("b1", "owner")]
