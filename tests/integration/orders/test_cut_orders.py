"""A cut order says so: its 201 (and GET /orders/{id} later) carries what was asked for, what was
accepted and why, in plain words with the figures apart.

In the replay from 2008-09-01, SPX's breaker is CAUTIOUS on the first day, so a buy above the cap
(half the equity, docs/risk.md) is cut down.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from httpx import AsyncClient

from keel.domain.enums import Permission
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import replay
from tests.integration.orders.factories import open_account, place
from tests.integration.plain_words import jargon_in


async def test_a_cut_order_says_so_in_its_201_and_later(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]
        assert run.risk.board.verdict(account_id, "SPX").level is Permission.CAUTIOUS

        placed = await place(client, user, account_id, quantity="60")
        assert placed.status_code == 201, placed.text
        order = placed.json()
        accepted = Decimal(order["quantity"])
        assert order["requested_quantity"] == "60" and 0 < accepted < 60
        cut = order["cut"]
        assert cut["detail"].startswith("Your order was made smaller: you asked to buy 60 SPX")
        assert "SPX (the S&P 500 index)" in cut["detail"]
        assert jargon_in(cut["detail"]) == [], cut["detail"]
        assert cut["figures"]["requested_quantity"] == "60"
        assert Decimal(cut["figures"]["accepted_quantity"]) == accepted
        assert Decimal(cut["figures"]["price"]) > 0
        assert cut["reason"], "the gate's own words are kept beside the plain ones"
        assert cut["lesson"] == "/api/v1/lessons/circuit-breakers"
        assert order["status_reason"] == cut["detail"] or order["status"] == "filled"

        stored = (await client.get(f"/api/v1/orders/{order['id']}", headers=user.headers)).json()
        assert stored["requested_quantity"] == "60"
        assert stored["quantity"] == order["quantity"] and stored["cut"] == cut
        assert any(event["reason"] == cut["detail"] for event in stored["events"])
        listed = (await client.get("/api/v1/orders", headers=user.headers)).json()
        assert [o["cut"] for o in listed if o["id"] == order["id"]] == [cut]


async def test_a_cut_notional_order_reports_money(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]
        placed = await place(client, user, account_id, notional="90000")
        assert placed.status_code == 201, placed.text
        order = placed.json()
        assert order["requested_notional"] == "90000.00"
        assert order["requested_quantity"] is None
        assert Decimal(order["notional"]) < Decimal("90000")
        detail = order["cut"]["detail"]
        assert "you asked to buy 90,000.00 worth of SPX (the S&P 500 index)" in detail
        assert jargon_in(detail) == [], detail
        assert order["cut"]["figures"]["requested_notional"] == "90000"
        assert Decimal(order["cut"]["figures"]["accepted_notional"]) == Decimal(order["notional"])


async def test_an_order_that_was_not_cut_has_no_cut(client: AsyncClient) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    placed = await place(client, user, account_id, quantity="2")
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["requested_quantity"] == "2" and order["quantity"] == "2"
    assert order["cut"] is None
