"""`guardian_of` and `minor_limits`, the lookups the trading side calls, against the real database."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from keel.server.guardians.service import MinorLimits, guardian_of, minor_limits
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user, minor_birth_date


async def test_lookups_follow_links_and_limits(client: AsyncClient, runtime: Runtime) -> None:
    guardian = await create_user(client, role="guardian")
    minor = await create_user(client, date_of_birth=minor_birth_date(13))
    async with runtime.sessionmaker() as session:
        assert await guardian_of(session, minor.id) is None
        assert await minor_limits(session, minor.id) == MinorLimits()

    code = (await client.post("/api/v1/guardian/invitations", headers=guardian.headers)).json()[
        "code"
    ]
    await client.post("/api/v1/guardian/links", headers=minor.headers, json={"code": code})
    await client.put(
        f"/api/v1/guardian/minors/{minor.id}/limits",
        headers=guardian.headers,
        json={"max_order_notional": "99.99"},
    )
    async with runtime.sessionmaker() as session:
        found = await guardian_of(session, minor.id)
        assert found is not None and found.id == guardian.id
        assert await minor_limits(session, minor.id) == MinorLimits(
            max_order_notional=Decimal("99.99"), trading_paused=False
        )
