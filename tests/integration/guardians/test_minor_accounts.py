"""A guardian reads a linked minor's accounts, positions, orders, ledger and equity (read-only);
an unlinked guardian gets 404 everywhere, and no guardian places or cancels for the minor."""

from __future__ import annotations

from decimal import Decimal

from httpx import AsyncClient

from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place

READS = ["", "/positions", "/orders", "/ledger", "/equity"]


async def _trading_minor(client: AsyncClient) -> tuple[AuthedUser, AuthedUser, str, str]:
    """(guardian, minor, account id, open order id): the minor holds 2 GOOG bought on approval
    and has a limit order waiting for the guardian."""
    guardian, minor = await linked_family(client)
    account_id = (await open_account(client, minor, starting_cash="5000"))["id"]
    bought = (await place(client, minor, account_id, symbol="GOOG", quantity="2")).json()
    approved = await client.post(
        f"/api/v1/guardian/approvals/{bought['id']}/approve", json={}, headers=guardian.headers
    )
    assert approved.json()["status"] == "filled", approved.text
    waiting = await place(
        client, minor, account_id, symbol="GOOG", type="limit", limit_price="1", quantity="1"
    )
    assert waiting.json()["status"] == "pending_approval", waiting.text
    return guardian, minor, account_id, waiting.json()["id"]


async def test_a_linked_guardian_reads_what_the_minor_reads(client: AsyncClient) -> None:
    guardian, minor, account_id, waiting_id = await _trading_minor(client)
    base = f"/api/v1/guardian/minors/{minor.id}/accounts"
    own = f"/api/v1/accounts/{account_id}"

    listed = await client.get(base, headers=guardian.headers)
    assert listed.status_code == 200, listed.text
    assert [a["id"] for a in listed.json()] == [account_id]

    account = await client.get(f"{base}/{account_id}", headers=guardian.headers)
    assert account.status_code == 200, account.text
    minors_view = (await client.get(own, headers=minor.headers)).json()
    assert account.json() == minors_view
    assert Decimal(account.json()["cash"]) < Decimal("5000")

    positions = await client.get(f"{base}/{account_id}/positions", headers=guardian.headers)
    assert positions.status_code == 200, positions.text
    assert [(p["symbol"], p["quantity"]) for p in positions.json()] == [("GOOG", "2")]
    assert positions.json() == minors_view["positions"]

    orders = await client.get(f"{base}/{account_id}/orders", headers=guardian.headers)
    assert orders.status_code == 200, orders.text
    own_orders = await client.get(
        "/api/v1/orders", params={"account_id": account_id}, headers=minor.headers
    )
    assert orders.json() == own_orders.json()
    # Both were placed at the same market instant: their order in the list is the id's.
    by_status = {o["status"]: o["id"] for o in orders.json()}
    assert by_status.keys() == {"pending_approval", "filled"}
    assert by_status["pending_approval"] == waiting_id
    only_waiting = await client.get(
        f"{base}/{account_id}/orders",
        params={"status": "pending_approval"},
        headers=guardian.headers,
    )
    assert [o["id"] for o in only_waiting.json()] == [waiting_id]

    ledger = await client.get(f"{base}/{account_id}/ledger", headers=guardian.headers)
    assert ledger.status_code == 200, ledger.text
    own_ledger = (await client.get(f"{own}/ledger", headers=minor.headers)).json()
    assert ledger.json() == own_ledger and len(own_ledger) == 2  # deposit, then the buy

    equity = await client.get(f"{base}/{account_id}/equity", headers=guardian.headers)
    assert equity.status_code == 200, equity.text
    own_equity = (await client.get(f"{own}/equity", headers=minor.headers)).json()
    assert equity.json() == own_equity and len(own_equity) >= 2


async def test_an_unlinked_guardian_gets_404_everywhere(client: AsyncClient) -> None:
    _guardian, minor, account_id, _ = await _trading_minor(client)
    stranger = await create_user(client, role="guardian")
    base = f"/api/v1/guardian/minors/{minor.id}/accounts"
    listed = await client.get(base, headers=stranger.headers)
    assert listed.status_code == 404 and listed.json()["type"].endswith("/not-found")
    for tail in READS:
        response = await client.get(f"{base}/{account_id}{tail}", headers=stranger.headers)
        assert response.status_code == 404, (tail, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_guardian_reaches_only_the_accounts_of_their_own_minor(client: AsyncClient) -> None:
    guardian, minor, _, _ = await _trading_minor(client)
    _other_guardian, other_minor, other_account, _ = await _trading_minor(client)
    # The guardian's own minor in the path, another family's account id: still 404.
    for tail in READS:
        path = f"/api/v1/guardian/minors/{minor.id}/accounts/{other_account}{tail}"
        response = await client.get(path, headers=guardian.headers)
        assert response.status_code == 404, (tail, response.text)
    path = f"/api/v1/guardian/minors/{other_minor.id}/accounts/{other_account}"
    assert (await client.get(path, headers=guardian.headers)).status_code == 404


async def test_reading_is_all_a_guardian_does_with_the_account(client: AsyncClient) -> None:
    guardian, minor, account_id, waiting_id = await _trading_minor(client)
    cancel = await client.delete(f"/api/v1/orders/{waiting_id}", headers=guardian.headers)
    assert cancel.status_code == 404, cancel.text
    placed = await place(client, guardian, account_id, symbol="GOOG", quantity="1")
    assert placed.status_code == 404, placed.text
    reset = await client.post(f"/api/v1/accounts/{account_id}/reset", headers=guardian.headers)
    assert reset.status_code == 404, reset.text
    orders = (
        await client.get(
            f"/api/v1/guardian/minors/{minor.id}/accounts/{account_id}/orders",
            headers=guardian.headers,
        )
    ).json()
    assert sorted(o["status"] for o in orders) == ["filled", "pending_approval"]  # unchanged
