"""Breaker helpers for integration tests: admins, enforcing runtimes, driving the replay."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from httpx import ASGITransport, AsyncClient
from sqlalchemy import update

from keel.domain.enums import Permission, Role
from keel.risk import BreakerMode
from keel.server.app import create_app
from keel.server.auth.models import User
from keel.server.breakers.component import RiskRuntime
from keel.server.breakers.startup import get_risk
from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user, login
from tests.integration.conftest import _empty_tables, make_settings


async def create_admin(client: AsyncClient, runtime: Runtime) -> AuthedUser:
    """A registered user promoted to admin in the database (registration never makes admins)."""
    user = await create_user(client)
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(update(User).where(User.id == user.id).values(role=Role.ADMIN.value))
    tokens = await login(client, user.email, user.password)
    user.access_token = tokens["access_token"]
    return user


def enforcing(runtime: Runtime) -> RiskRuntime:
    """The runtime's risk layer with its breakers binding orders (tests default to measure-only)."""
    risk = get_risk(runtime)
    risk.set_mode(BreakerMode.ENFORCE)
    return risk


@dataclass
class Replay:
    runtime: Runtime
    client: AsyncClient

    @property
    def risk(self) -> RiskRuntime:
        return get_risk(self.runtime)

    async def step_until(self, done: Callable[[RiskRuntime], bool], limit: int = 5000) -> None:
        """Step the feed one tick at a time until `done(risk)`; fail after `limit` steps."""
        feed = get_feed(self.runtime)
        for _ in range(limit):
            if done(self.risk):
                return
            await feed.step()
        raise AssertionError(f"the condition never held within {limit} steps")

    async def step_until_market(self, level: Permission, limit: int = 5000) -> None:
        await self.step_until(lambda risk: risk.board.market.level is level, limit)


@asynccontextmanager
async def replay(
    database_url: str, var_dir: Path, *, ticks_per_bar: int = 12
) -> AsyncIterator[Replay]:
    """A fresh enforcing runtime replaying from 2008-09-01 with `ticks_per_bar` ticks a day."""
    settings = make_settings(database_url, var_dir, replay_ticks_per_bar=ticks_per_bar)
    runtime = Runtime.build(settings)
    await _empty_tables(runtime)
    await runtime.start()
    try:
        enforcing(runtime)
        transport = ASGITransport(app=create_app(runtime=runtime), raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield Replay(runtime, http)
    finally:
        await runtime.stop()
