"""Order lifecycle through the API: fills, resting orders matched by the engine loop, cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from httpx import AsyncClient

from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.orders.factories import account, open_account, place


async def place_limit(
    client: AsyncClient, user: AuthedUser, account_id: str, limit_price: Decimal, **fields: Any
) -> dict[str, Any]:
    """Place a limit order at `limit_price`; the order as the API returns it."""
    response = await place(
        client, user, account_id, type="limit", limit_price=str(limit_price), **fields
    )
    order: dict[str, Any] = response.json()
    return order


async def test_market_buy_fills_at_the_ask_plus_slippage_and_records_events(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    quote = get_feed(runtime).latest_quote("SPX")
    assert quote is not None
    response = await place(client, user, opened["id"], quantity="1.5", client_order_id="a-1")
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "filled"
    price = Decimal(order["average_fill_price"])
    assert quote.ask <= price <= quote.ask * Decimal("1.0002")
    detail = (await client.get(f"/api/v1/orders/{order['id']}", headers=user.headers)).json()
    assert [e["to_status"] for e in detail["events"]] == ["accepted", "filled"]
    assert len(detail["fills"]) == 1 and Decimal(detail["fills"][0]["quantity"]) == Decimal("1.5")


async def test_notional_buy_and_sell_back_realizes_pnl(client: AsyncClient) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    bought = (await place(client, user, opened["id"], notional="2500")).json()
    assert bought["status"] == "filled"
    held = Decimal(bought["filled_quantity"])
    assert Decimal(bought["filled_notional"]) <= Decimal("2500")
    sold = await place(client, user, opened["id"], side="sell", quantity=str(held))
    assert sold.status_code == 201 and sold.json()["status"] == "filled"
    state = await account(client, user, opened["id"])
    (position,) = state["positions"]
    assert Decimal(position["quantity"]) == 0
    # Bought at the ask, sold at the bid: the spread and slippage are a realized loss.
    assert Decimal(position["realized_pnl"]) < 0
    assert Decimal(state["cash"]) == Decimal("100000") + sum(
        Decimal(e["amount"])
        for e in (
            await client.get(f"/api/v1/accounts/{opened['id']}/ledger", headers=user.headers)
        ).json()
        if e["kind"] != "deposit"
    )


async def test_far_limit_order_rests_through_a_step_and_is_cancelled_only_once(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    feed = get_feed(runtime)
    quote = feed.latest_quote("SPX")
    assert quote is not None
    far = (quote.bid * Decimal("0.5")).quantize(Decimal("0.01"))
    resting = await place_limit(client, user, opened["id"], far, quantity="1", time_in_force="gtc")
    assert resting["status"] == "accepted"
    state = await account(client, user, opened["id"])
    assert Decimal(state["buying_power"]) == Decimal(state["cash"]) - far
    # A buy limit at half the bid waits: after a step the price is still far above it.
    await feed.step()
    again = (await client.get(f"/api/v1/orders/{resting['id']}", headers=user.headers)).json()
    assert again["status"] == "accepted"
    cancelled = await client.delete(f"/api/v1/orders/{resting['id']}", headers=user.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    state = await account(client, user, opened["id"])
    assert state["buying_power"] == state["cash"]
    twice = await client.delete(f"/api/v1/orders/{resting['id']}", headers=user.headers)
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/order-not-cancellable")


async def test_sell_stop_already_through_fills_at_once(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    await place(client, user, opened["id"], quantity="3")  # something to sell
    quote = get_feed(runtime).latest_quote("SPX")
    assert quote is not None
    stop = (quote.bid * Decimal("1.5")).quantize(Decimal("0.01"))  # already through: sell stop
    order = (
        await place(
            client, user, opened["id"], side="sell", type="stop", stop_price=str(stop), quantity="3"
        )
    ).json()
    # A sell stop above the bid is triggered at once and fills at the bid.
    assert order["status"] == "filled", order


async def test_day_orders_expire_when_the_replay_moves_to_the_next_day(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    feed = get_feed(runtime)
    quote = feed.latest_quote("GOOG")
    assert quote is not None
    low = (quote.bid * Decimal("0.5")).quantize(Decimal("0.01"))
    day = await place_limit(client, user, opened["id"], low, symbol="GOOG", quantity="1")
    gtc = await place_limit(
        client, user, opened["id"], low, symbol="GOOG", quantity="1", time_in_force="gtc"
    )
    await feed.step_days(1)
    day_after = (await client.get(f"/api/v1/orders/{day['id']}", headers=user.headers)).json()
    gtc_after = (await client.get(f"/api/v1/orders/{gtc['id']}", headers=user.headers)).json()
    assert day_after["status"] == "expired"
    assert gtc_after["status"] == "accepted"


async def test_resting_limit_fills_when_the_market_comes_to_it(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    feed = get_feed(runtime)
    # The replay's first day (2008-09-02) is not complete, so none of its bars is served yet.
    bars = (
        await client.get(
            "/api/v1/instruments/SPX/bars?start=2008-09-02&end=2008-09-03", headers=user.headers
        )
    ).json()
    assert bars == []
    quote = feed.latest_quote("SPX")
    assert quote is not None
    target = (quote.ask * Decimal("0.999")).quantize(Decimal("0.01"))
    order = await place_limit(client, user, opened["id"], target, quantity="2", time_in_force="gtc")
    for _ in range(feed.ticks_per_bar * 3):
        await feed.step()
        current = (await client.get(f"/api/v1/orders/{order['id']}", headers=user.headers)).json()
        if current["status"] == "filled":
            break
    assert current["status"] == "filled", current
    assert Decimal(current["average_fill_price"]) <= target
    state = await account(client, user, opened["id"])
    assert Decimal(state["positions"][0]["quantity"]) == 2
