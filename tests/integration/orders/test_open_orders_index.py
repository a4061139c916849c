"""The open orders are read through their own partial index (`ix_orders_open`), so the engine's
match on every tick and the desk's batches cost what the open orders cost, not what the
accounts' histories cost (a soak's matching query grew from 200 to 3,000 buffers in five minutes
when PostgreSQL read every order an account had ever placed)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import Select, text
from sqlalchemy.dialects import postgresql

from keel.server.orders import repository
from keel.server.orders.models import OPEN_ORDERS_ONLY
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place

HISTORY = 3000

# Copies of an account's one order, closed (filled or cancelled): its history.
CLOSED_COPIES = text(
    """
    INSERT INTO orders
    SELECT (jsonb_populate_record(o, jsonb_build_object(
        'id', gen_random_uuid()::text,
        'client_order_id', NULL,
        'status', CASE WHEN n % 2 = 0 THEN 'filled' ELSE 'cancelled' END))).*
    FROM orders o, generate_series(1, :count) n
    WHERE o.account_id = :account_id
    """
)


def test_the_index_predicate_is_the_open_statuses() -> None:
    written = {part.strip(" '()") for part in OPEN_ORDERS_ONLY.split("IN", 1)[1].split(",")}
    assert written == set(repository.OPEN_STATUSES)


async def _plan(runtime: Runtime, query: Select[Any]) -> dict[str, Any]:
    sql = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    async with runtime.sessionmaker() as session:
        found = await session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
        plan: dict[str, Any] = found.scalar_one()[0]
    return plan


async def test_open_orders_cost_the_open_orders_not_the_history(
    client: AsyncClient, runtime: Runtime, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("the plan is PostgreSQL's (SQLite has the same index)")
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    resting = await place(
        client, user, account_id, symbol="ACME", side="buy", quantity="1", type="limit",
        limit_price="1.00", time_in_force="gtc",
    )  # fmt: skip
    assert resting.status_code == 201 and resting.json()["status"] == "accepted", resting.text
    async with runtime.sessionmaker() as session:
        await session.execute(CLOSED_COPIES, {"count": HISTORY, "account_id": account_id})
        await session.commit()

    for query in (
        repository.working_orders_query("default", ["ACME", "GLBX"]),
        repository.open_orders_query([account_id]),
    ):
        plan = await _plan(runtime, query)
        assert "ix_orders_open" in json.dumps(plan), json.dumps(plan, indent=1)
        assert plan["Plan"]["Actual Rows"] == 1
        # A few pages, where reading the account's history took about a hundred.
        buffers = plan["Plan"]["Shared Hit Blocks"] + plan["Plan"]["Shared Read Blocks"]
        assert buffers < 30, json.dumps(plan, indent=1)

    async with runtime.sessionmaker() as session:
        working = await repository.working_orders_for(session, "default", ["ACME"])
        opened = await repository.open_orders_of(session, [account_id])
    assert [row.id for row in working] == [resting.json()["id"]]
    assert [row.id for row in opened[account_id]] == [resting.json()["id"]]
