"""Regression (OpenAPI sweep on PostgreSQL): text PostgreSQL cannot store — NUL characters and
unpaired UTF-16 surrogates — is refused with 422 problem+json at the edge instead of failing in the
database with a 500. SQLite accepts such text; the edge refuses it there too, for one behaviour."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account

BAD_NAMES = {
    "NUL": '{"name": "Main\\u0000"}',
    "lone high surrogate": '{"name": "Main\\ud83d"}',
    "lone low surrogate": '{"name": "\\ude00Main"}',
    "nested NUL": '{"name": "Main", "starting_cash": null, "x": ["\\u0000"]}',
}


@pytest.mark.parametrize("body", BAD_NAMES.values(), ids=BAD_NAMES.keys())
async def test_bodies_with_unstorable_text_are_refused(client: AsyncClient, body: str) -> None:
    user = await create_user(client)
    response = await client.post(
        "/api/v1/accounts",
        content=body,
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-text")


async def test_escaped_text_that_is_fine_still_passes(client: AsyncClient) -> None:
    user = await create_user(client)
    body = (
        '{"name": "Caf\\u00e9 \\ud83d\\ude00 \\\\u0000 literal"}'  # é, an emoji pair, a backslash
    )
    response = await client.post(
        "/api/v1/accounts",
        content=body,
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Café \U0001f600 \\u0000 literal"


@pytest.mark.parametrize(
    "target",
    ["/api/v1/accounts/abc%00def", "/api/v1/orders?status=%00", "/api/v1/orders/%00"],
)
async def test_nul_in_path_or_query_is_refused(client: AsyncClient, target: str) -> None:
    user = await create_user(client)
    await open_account(client, user)
    response = await client.get(target, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
