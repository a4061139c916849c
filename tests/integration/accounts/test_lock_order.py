"""Closing equity writes one row per account in account-id order, the order the order desk locks
accounts in: a multi-row INSERT takes its foreign-key locks row by row, so any other order can
deadlock against a batch of orders (benchmarks/soak.py met one on PostgreSQL)."""

from __future__ import annotations

from httpx import AsyncClient

from keel.server.accounts.repository import scenario_holdings
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account


async def test_scenario_holdings_come_in_account_id_order(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = [(await open_account(client, user, name=f"A{i}"))["id"] for i in range(8)]
    async with runtime.sessionmaker() as session:
        holdings = await scenario_holdings(session, "default")
    ids = [item.account_id for item in holdings]
    assert set(opened) <= set(ids)
    assert ids == sorted(ids)
