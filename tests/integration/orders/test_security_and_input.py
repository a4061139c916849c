"""User A never sees user B's accounts or orders; bad input is 4xx problem+json, never 500."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place


async def test_every_account_and_order_route_is_404_for_another_user(client: AsyncClient) -> None:
    owner = await create_user(client)
    intruder = await create_user(client)
    opened = await open_account(client, owner)
    order = (
        await place(
            client,
            owner,
            opened["id"],
            quantity="1",
            type="limit",
            limit_price="1.00",
            time_in_force="gtc",
        )
    ).json()
    account_id, order_id = opened["id"], order["id"]
    routes = [
        ("GET", f"/api/v1/accounts/{account_id}", None),
        ("GET", f"/api/v1/accounts/{account_id}/ledger", None),
        ("GET", f"/api/v1/accounts/{account_id}/equity", None),
        ("POST", f"/api/v1/accounts/{account_id}/reset", {}),
        ("GET", f"/api/v1/orders/{order_id}", None),
        ("DELETE", f"/api/v1/orders/{order_id}", None),
        (
            "POST",
            "/api/v1/orders",
            {
                "account_id": account_id,
                "symbol": "SPX",
                "side": "buy",
                "type": "market",
                "quantity": "1",
            },
        ),
    ]
    for method, url, body in routes:
        response = await client.request(method, url, json=body, headers=intruder.headers)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (
        await client.get(f"/api/v1/orders?account_id={account_id}", headers=intruder.headers)
    ).json() == []
    assert (await client.get("/api/v1/accounts", headers=intruder.headers)).json() == []
    # The owner's order is untouched.
    mine = await client.get(f"/api/v1/orders/{order_id}", headers=owner.headers)
    assert mine.json()["status"] == "accepted"


async def test_routes_need_a_token(client: AsyncClient) -> None:
    for method, url in [
        ("GET", "/api/v1/accounts"),
        ("POST", "/api/v1/orders"),
        ("GET", "/api/v1/orders/x"),
    ]:
        response = await client.request(method, url)
        assert response.status_code == 401


BAD_ORDERS = [
    ({"quantity": "0"}, "invalid-order"),
    ({"quantity": "-1"}, "invalid-order"),
    ({"quantity": "NaN"}, None),
    ({"quantity": "Infinity"}, None),
    ({"quantity": "1e30"}, "invalid-order"),
    ({"quantity": "0.0000001"}, "invalid-order"),
    ({"quantity": "1", "notional": "100"}, "invalid-order"),
    ({}, "invalid-order"),
    ({"notional": "0.5"}, "invalid-order"),
    ({"type": "limit", "quantity": "1", "limit_price": "10.00001"}, "invalid-order"),
    ({"type": "limit", "quantity": "1", "limit_price": "-3"}, "invalid-order"),
    ({"type": "limit", "quantity": "1"}, "invalid-order"),
    ({"type": "stop", "quantity": "1", "stop_price": "1e12"}, "invalid-order"),
    ({"quantity": "1", "symbol": "NOPE"}, "unknown-symbol"),
    ({"quantity": "1", "symbol": "VIX"}, "unknown-symbol"),
    ({"quantity": "1", "side": "hold"}, "validation-error"),
    ({"quantity": "1", "type": "iceberg"}, "validation-error"),
    ({"quantity": "1", "time_in_force": "ioc"}, "validation-error"),
    ({"quantity": "1", "client_order_id": "bad id with spaces"}, "invalid-order"),
    ({"quantity": "1", "side": "sell"}, "insufficient-position"),
    ({"quantity": "1000000"}, "insufficient-funds"),
    ({"quantity": [1]}, "validation-error"),
    ({"quantity": True}, None),
]


@pytest.mark.parametrize(("fields", "code"), BAD_ORDERS)
async def test_bad_orders_are_problems(
    client: AsyncClient, fields: dict[str, object], code: str | None
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user)
    response = await place(client, user, opened["id"], **fields)
    assert 400 <= response.status_code < 500, (fields, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    if code is not None:
        assert response.json()["type"].endswith("/" + code), response.text


async def test_malformed_json_and_unknown_fields(client: AsyncClient) -> None:
    user = await create_user(client)
    headers = {**user.headers, "content-type": "application/json"}
    for content in [b"{", b"[]", b"null", b'{"account_id": 1}', b"\xff\xfe"]:
        response = await client.post("/api/v1/orders", content=content, headers=headers)
        assert response.status_code == 422, (content, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    opened = await open_account(client, user)
    response = await place(client, user, opened["id"], quantity="1", leverage="10")
    assert response.status_code == 422
    for url in [
        "/api/v1/orders?status=bogus",
        "/api/v1/orders?limit=0",
        "/api/v1/accounts/x/ledger?limit=-1",
    ]:
        response = await client.get(url, headers=user.headers)
        assert response.status_code == 422, url
