"""Paper accounts: opening, positions and P&L, ledger, equity, reset."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import account, open_account, place


async def test_open_account_defaults_to_100000_and_ledger_holds_the_deposit(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash=None)
    assert Decimal(opened["cash"]) == Decimal("100000")
    assert opened["cash"] == "100000.00"
    ledger = await client.get(f"/api/v1/accounts/{opened['id']}/ledger", headers=user.headers)
    entries = ledger.json()
    assert [(e["kind"], e["amount"]) for e in entries] == [("deposit", "100000.00")]
    listed = (await client.get("/api/v1/accounts", headers=user.headers)).json()
    assert [a["id"] for a in listed] == [opened["id"]]


async def test_starting_cash_is_bounded_and_validated(client: AsyncClient) -> None:
    user = await create_user(client)
    for bad in ["0", "-5", "NaN", "1e30", "100.001", "abc", "99999999999"]:
        response = await client.post(
            "/api/v1/accounts", json={"name": "x", "starting_cash": bad}, headers=user.headers
        )
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_buy_moves_cash_to_a_position_with_pnl_and_equity_history(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    response = await place(client, user, opened["id"], quantity="2")
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "filled"
    state = await account(client, user, opened["id"])
    (position,) = state["positions"]
    assert position["symbol"] == "SPX" and Decimal(position["quantity"]) == 2
    cost = Decimal(order["filled_notional"])
    assert Decimal(state["cash"]) == Decimal("100000") - cost.quantize(Decimal("0.01"), "ROUND_UP")
    value = Decimal(position["market_value"])
    assert Decimal(state["equity"]) == Decimal(state["cash"]) + value
    assert Decimal(position["unrealized_pnl"]) == (
        value - Decimal(position["average_cost"]) * 2
    ).quantize(Decimal("0.01"))
    equity = await client.get(f"/api/v1/accounts/{opened['id']}/equity", headers=user.headers)
    assert len(equity.json()) >= 2


async def test_reset_archives_history_and_refunds(client: AsyncClient) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    assert (await place(client, user, opened["id"], quantity="1")).status_code == 201
    reset = await client.post(
        f"/api/v1/accounts/{opened['id']}/reset",
        json={"starting_cash": "5000"},
        headers=user.headers,
    )
    assert reset.status_code == 200, reset.text
    state = reset.json()
    assert state["epoch"] == 1 and state["cash"] == "5000.00" and state["positions"] == []
    ledger = (
        await client.get(f"/api/v1/accounts/{opened['id']}/ledger", headers=user.headers)
    ).json()
    kinds = [e["kind"] for e in reversed(ledger)]
    assert kinds == ["deposit", "fill_debit", "reset", "deposit"]
    assert sum(Decimal(e["amount"]) for e in ledger) == Decimal("5000")
    old = await client.get(f"/api/v1/accounts/{opened['id']}/ledger?epoch=0", headers=user.headers)
    assert len(old.json()) == 3
