"""Accounts and orders for integration tests, through the real HTTP API."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response

from tests.integration.auth.factories import AuthedUser


async def open_account(
    client: AsyncClient, user: AuthedUser, starting_cash: str | None = "100000", name: str = "Main"
) -> dict[str, Any]:
    """An account of `user`; a minor's is opened by their guardian (a minor's own request waits
    for consent: tests/integration/guardians/test_minor_accounts_consent.py)."""
    body: dict[str, Any] = {"name": name}
    if starting_cash is not None:
        body["starting_cash"] = starting_cash
    if user.guardian is not None:
        response = await client.post(
            f"/api/v1/guardian/minors/{user.id}/accounts", json=body, headers=user.guardian.headers
        )
    else:
        response = await client.post("/api/v1/accounts", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def place(client: AsyncClient, user: AuthedUser, account_id: str, **fields: Any) -> Response:
    body: dict[str, Any] = {
        "account_id": account_id,
        "symbol": "SPX",
        "side": "buy",
        "type": "market",
        "time_in_force": "day",
    }
    body.update(fields)
    return await client.post("/api/v1/orders", json=body, headers=user.headers)


async def account(client: AsyncClient, user: AuthedUser, account_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/accounts/{account_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
