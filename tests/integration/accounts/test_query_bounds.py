"""Regression (OpenAPI sweep): an epoch or sequence beyond the 32-bit columns is a 422, not a 500."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account

HUGE = str(2**63)


@pytest.mark.parametrize(
    ("route", "query"),
    [
        ("ledger", {"epoch": HUGE}),
        ("ledger", {"before_sequence": HUGE}),
        ("equity", {"epoch": HUGE}),
        ("ledger", {"epoch": str(2**31)}),
    ],
)
async def test_out_of_range_integers_are_refused_as_invalid(
    client: AsyncClient, route: str, query: dict[str, str]
) -> None:
    user = await create_user(client)
    account = await open_account(client, user)
    response = await client.get(
        f"/api/v1/accounts/{account['id']}/{route}", params=query, headers=user.headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/validation-error")
