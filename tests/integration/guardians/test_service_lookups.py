"""`guardians_of` and `minor_limits`, the lookups the trading side calls, against the real database."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from keel.domain.guardians import GuardianLimits
from keel.server.guardians.service import guardians_of, minor_limits
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user, minor_birth_date


async def test_lookups_follow_links_and_limits(client: AsyncClient, runtime: Runtime) -> None:
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(13))
    async with runtime.sessionmaker() as session:
        assert await guardians_of(session, minor.id) == []
        assert await minor_limits(session, minor.id) is None  # no guardian: nothing allowed

    code = (await client.post("/api/v1/guardian/invitations", headers=guardian.headers)).json()[
        "code"
    ]
    await client.post("/api/v1/guardian/links", headers=minor.headers, json={"code": code})
    async with runtime.sessionmaker() as session:
        assert await minor_limits(session, minor.id) == GuardianLimits()
    await client.put(
        f"/api/v1/guardian/minors/{minor.id}/limits",
        headers=guardian.headers,
        json={"max_order_notional": "99.99"},
    )
    async with runtime.sessionmaker() as session:
        assert [found.id for found in await guardians_of(session, minor.id)] == [guardian.id]
        assert await minor_limits(session, minor.id) == GuardianLimits(
            max_order_notional=Decimal("99.99"), trading_paused=False
        )
