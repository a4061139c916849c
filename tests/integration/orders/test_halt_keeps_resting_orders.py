"""A halt never cancels resting orders: they wait and are judged again when trading reopens."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient
from sqlalchemy import update

from keel.server.market.component import get_feed
from keel.server.orders.models import OrderRow
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin, enforcing
from tests.integration.orders.factories import open_account, place


async def test_an_admin_halt_leaves_resting_gtc_orders_open_until_they_fill(
    client: AsyncClient, runtime: Runtime
) -> None:
    enforcing(runtime)
    feed = get_feed(runtime)
    admin = await create_admin(client, runtime)
    learner = await create_user(client)
    account_id = (await open_account(client, learner))["id"]
    quote = feed.latest_quote("ACME")
    assert quote is not None
    resting = await place(
        client,
        learner,
        account_id,
        symbol="ACME",
        type="limit",
        limit_price=str((quote.bid * Decimal("0.5")).quantize(Decimal("0.01"))),
        quantity="1",
        time_in_force="gtc",
    )
    assert resting.status_code == 201 and resting.json()["status"] == "accepted", resting.text
    order_id = resting.json()["id"]
    halt = await client.post(
        "/api/v1/admin/breakers/halt",
        json={"scope": "market", "reason": "fire drill"},
        headers=admin.headers,
    )
    assert halt.status_code == 200, halt.text
    # While halted, make the resting order marketable on every quote (no amend route exists;
    # the row is what the engine matches): it would fill now, but the halt must hold it.
    limit = (quote.ask * Decimal("3")).quantize(Decimal("0.01"))
    async with runtime.sessionmaker.begin() as session:
        await session.execute(
            update(OrderRow).where(OrderRow.id == order_id).values(limit_price=limit)
        )
    await feed.step_days(1)
    waiting = (await client.get(f"/api/v1/orders/{order_id}", headers=learner.headers)).json()
    assert waiting["status"] == "accepted", waiting  # still open: the halt never rejected it

    resumed = await client.post(
        "/api/v1/admin/breakers/resume", json={"scope": "market"}, headers=admin.headers
    )
    assert resumed.status_code == 200, resumed.text
    await feed.step()
    state = (await client.get(f"/api/v1/orders/{order_id}", headers=learner.headers)).json()
    assert state["status"] == "filled", state  # judged again at reopen, and filled
    assert Decimal(state["average_fill_price"]) <= limit
