"""Money under concurrency: no overdraft, one order per client_order_id, invariants clean."""

from __future__ import annotations

import asyncio
from decimal import ROUND_UP, Decimal

from httpx import ASGITransport, AsyncClient

from keel.server.accounts.invariants import check_all
from keel.server.app import create_app
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import account, open_account, place


async def test_fifty_concurrent_buys_fill_exactly_the_affordable_ones(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash="10000")
    responses = await asyncio.gather(
        *(place(client, user, opened["id"], quantity="1") for _ in range(50))
    )
    filled = [r.json() for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert filled, [r.text for r in responses[:3]]
    # Every fill was on the same quote (the feed did not move): the same cost each.
    prices = {Decimal(o["average_fill_price"]) for o in filled}
    assert len(prices) == 1
    cost = prices.pop().quantize(Decimal("0.01"), rounding=ROUND_UP)
    affordable = int(Decimal("10000") // cost)
    assert len(filled) == affordable
    assert all(o["status"] == "filled" for o in filled)
    assert all(r.status_code == 422 for r in refused)
    assert {r.json()["type"].rsplit("/", 1)[1] for r in refused} == {"insufficient-funds"}
    assert "free to spend" in refused[0].json()["detail"]
    figures = refused[0].json()["figures"]
    assert Decimal(figures["needed"]) > Decimal(figures["available"])
    state = await account(client, user, opened["id"])
    assert Decimal(state["cash"]) == Decimal("10000") - affordable * cost
    assert Decimal(state["cash"]) >= 0
    async with runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations
    assert report.fills == affordable


async def test_same_client_order_id_posted_concurrently_creates_one_order(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    responses = await asyncio.gather(
        *(
            place(client, user, opened["id"], quantity="1", client_order_id="retry-7")
            for _ in range(10)
        )
    )
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    listed = (await client.get("/api/v1/orders", headers=user.headers)).json()
    assert len(listed) == 1
    state = await account(client, user, opened["id"])
    assert Decimal(state["positions"][0]["quantity"]) == 1
    async with runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations


async def test_check_reports_a_tampered_balance(client: AsyncClient, runtime: Runtime) -> None:
    from sqlalchemy import update

    from keel.server.accounts.models import PaperAccount

    user = await create_user(client)
    opened = await open_account(client, user)
    await place(client, user, opened["id"], quantity="1")
    async with runtime.sessionmaker() as session:
        await session.execute(
            update(PaperAccount).where(PaperAccount.id == opened["id"]).values(cash=Decimal("5"))
        )
        await session.commit()
        report = await check_all(session)
    assert not report.clean
    assert any("sum of ledger" in line for line in report.violations)


async def test_buys_spread_over_two_replicas_never_overdraw(
    client: AsyncClient, runtime: Runtime
) -> None:
    """Two API processes on one database, each batching its own orders: the account row lock
    still lets exactly the affordable ones fill."""
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash="10000")
    replica = Runtime.build(runtime.settings)
    await replica.start()
    try:
        transport = ASGITransport(app=create_app(runtime=replica))
        async with AsyncClient(transport=transport, base_url="http://replica") as other:
            responses = await asyncio.gather(
                *(
                    place(client if i % 2 else other, user, opened["id"], quantity="1")
                    for i in range(40)
                )
            )
    finally:
        await replica.stop()
    filled = [r.json() for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    cost = Decimal(filled[0]["average_fill_price"]).quantize(Decimal("0.01"), rounding=ROUND_UP)
    assert len(filled) == int(Decimal("10000") // cost)
    assert {r.json()["type"].rsplit("/", 1)[1] for r in refused} == {"insufficient-funds"}
    state = await account(client, user, opened["id"])
    assert Decimal(state["cash"]) == Decimal("10000") - len(filled) * cost >= 0
    async with runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations
