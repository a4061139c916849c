"""Text hygiene, both ways.

In: text PostgreSQL cannot store — NUL characters and unpaired UTF-16 surrogates — is refused with
422 problem+json at the edge instead of failing in the database with a 500 (a regression of the
OpenAPI sweep on PostgreSQL). SQLite accepts such text; the edge refuses it there too.

Out: the texts the API sends a learner (problem pages, order validation, refusals) read well for a
14-year-old: no `1E+3`, no jargon, amounts with thousands separators, figures in a separate object."""

from __future__ import annotations

from decimal import Decimal

import pytest
from httpx import AsyncClient

from keel.domain.errors import InvalidOrder
from keel.domain.order_requests import OrderRequest
from keel.server.problems.pages import PAGES
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place
from tests.integration.plain_words import JARGON, jargon_in
from tests.integration.problem_codes import message_texts_in_source

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


# ----- words a 14-year-old understands ---------------------------------------------------------


def test_problem_pages_use_plain_words() -> None:
    for code, page in PAGES.items():
        assert jargon_in(page.title + " " + page.text) == [], code


BAD_ORDERS: dict[str, dict[str, object]] = {
    "too many": {"quantity": "1E+8"},
    "too small": {"quantity": "0.0000001"},
    "zero": {"quantity": "0"},
    "negative": {"quantity": "-5"},
    "too much money": {"quantity": None, "notional": "2E+8"},
    "limit on a market order": {"quantity": "1", "limit_price": "10"},
    "stop order without a stop price": {"quantity": "1", "type": "stop"},
    "neither quantity nor notional": {"quantity": None},
    "bad side": {"quantity": "1", "side": "hold"},
    "bad symbol": {"quantity": "1", "symbol": "s p x"},
    "price too high": {"quantity": "1", "type": "limit", "limit_price": "2E+7"},
    "price too precise": {"quantity": "1", "type": "limit", "limit_price": "10.000001"},
}


@pytest.mark.parametrize("fields", BAD_ORDERS.values(), ids=BAD_ORDERS.keys())
def test_order_validation_reads_well(fields: dict[str, object]) -> None:
    request: dict[str, object] = {
        "account_id": "a",
        "symbol": "SPX",
        "side": "buy",
        "type": "market",
        **fields,
    }
    with pytest.raises(InvalidOrder) as refused:
        OrderRequest.parse(**request)  # type: ignore[arg-type]
    message = refused.value.message
    assert jargon_in(message) == [], message
    assert message[0].isupper() or message[0] == "'", message


async def test_an_over_limit_order_shows_numbers_as_people_write_them(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    response = await place(client, user, account_id, quantity="1E+8")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"] == "/problems/invalid-order"
    assert "at most 10,000,000 (you sent 100,000,000)" in body["detail"]
    assert jargon_in(body["detail"]) == []
    assert body["figures"] == {"sent": "100000000", "maximum": "10000000"}


async def test_not_enough_money_names_the_index_and_keeps_figures_apart(
    client: AsyncClient,
) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user, starting_cash="1000"))["id"]
    response = await place(client, user, account_id, quantity="10")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"] == "/problems/insufficient-funds"
    assert "SPX (the S&P 500 index)" in body["detail"]
    assert "you have 1,000.00 free to spend" in body["detail"]
    assert jargon_in(body["detail"]) == []
    figures = body["figures"]
    assert figures["symbol"] == "SPX" and figures["available"] == "1000"
    assert Decimal(figures["needed"]) > Decimal(figures["available"])


async def test_too_much_starting_cash_is_written_as_money(client: AsyncClient) -> None:
    user = await create_user(client)
    response = await client.post(
        "/api/v1/accounts",
        json={"name": "Big", "starting_cash": "1E+9"},
        headers=user.headers,
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"] == "/problems/starting-cash-too-large"
    assert "at most 10,000,000.00 (you asked for 1,000,000,000.00)" in body["detail"]
    assert jargon_in(body["detail"]) == []
    assert body["figures"] == {"requested": "1000000000", "maximum": "10000000"}


async def test_invalid_fields_are_named_in_words(client: AsyncClient) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    cases = {
        "side": ("The field 'side' is not right: Input should be 'buy' or 'sell'.", "hold"),
        "surprise": ("The field 'surprise' is not expected here: leave it out.", 1),
    }
    for field, (expected, value) in cases.items():
        response = await place(client, user, account_id, quantity="1", **{field: value})
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == expected
    missing = await client.post("/api/v1/orders", json={"symbol": "SPX"}, headers=user.headers)
    assert missing.json()["detail"] == "The field 'account_id' is missing: add it and send again."


def test_no_message_in_the_source_uses_jargon() -> None:
    # The circuit breakers' own reasons (risk/, server/breakers/) are worded by their owners.
    texts = message_texts_in_source(skip=("risk", "breakers", "volatility", "backtest", "models"))
    assert len(texts) > 80, "the scan finds the messages"
    assert any("free to spend" in text for text in texts)
    offending = [text for text in texts if any(word in text for word in JARGON)]
    assert offending == []
