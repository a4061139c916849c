"""`POST /orders/preview` says what placing the order would do, every check at once, and stores
nothing: for each case of a table, the preview's verdict equals what the real order then gets
(accepted, cut, refused by a breaker, by buying power, by the breaker's position cap, by units
to sell, by minors' rules, waiting for a guardian).

Breakers bind in the replay from 2008-09-01 (SPX is CAUTIOUS on its first day, docs/risk.md);
the other cases run with breakers measuring only (the tests' default), so every level is OPEN.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import func, select

from keel.domain.enums import Permission
from keel.server.models import Base
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import replay
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import account, open_account, place
from tests.integration.plain_words import jargon_in

PREVIEW = "/api/v1/orders/preview"


async def preview(
    client: AsyncClient, user: AuthedUser, account_id: str, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"account_id": account_id, "symbol": "SPX", "side": "buy", **fields}
    response = await client.post(PREVIEW, json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    assert "ratelimit-limit" in response.headers, "rate-limited like placing an order"
    result: dict[str, Any] = response.json()
    return result


def outcome_of(placed: Response) -> dict[str, Any]:
    """What the real order got, in the preview's terms."""
    if placed.status_code == 422:
        problem = placed.json()
        return {
            "outcome": "refused",
            "code": problem["type"].rsplit("/", 1)[-1],
            "detail": problem["detail"],
        }
    assert placed.status_code == 201, placed.text
    order = placed.json()
    waits = order["status"] == "pending_approval"
    return {
        "outcome": "waits_for_guardian" if waits else "accepted",
        "quantity": order["quantity"],
        "notional": order["notional"],
        "cut": order["cut"],
    }


REFUSED_KEYS = ("outcome", "code", "detail")
ACCEPTED_KEYS = ("outcome", "quantity", "notional", "cut")


def verdict_of(previewed: dict[str, Any], refused: bool) -> dict[str, Any]:
    keys = REFUSED_KEYS if refused else ACCEPTED_KEYS
    return {key: previewed[key] for key in keys}


async def preview_then_place(
    client: AsyncClient, user: AuthedUser, account_id: str, **fields: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the preview, the real order's outcome) for the same order, one right after the other."""
    fields = {"symbol": "SPX", "side": "buy", **fields}
    previewed = await preview(client, user, account_id, **fields)
    placed = await place(client, user, account_id, **fields)
    real = outcome_of(placed)
    assert verdict_of(previewed, real["outcome"] == "refused") == real, previewed
    if real["outcome"] == "refused":
        refusal = [f for f in previewed["findings"] if f["code"] == real["code"]]
        assert refusal and refusal[0]["effect"] == "refuse", previewed["findings"]
        # The same teachable moment as the refusal itself: its lesson (or glossary entry).
        body = placed.json()
        links = (refusal[0]["lesson"], refusal[0]["glossary"])
        assert links == (body.get("lesson"), body.get("glossary")) and any(links), body
        assert previewed["type"] == f"/problems/{real['code']}"
        assert previewed["buying_power_after"] is None
    return previewed, real


async def row_counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.sessionmaker() as session:
        return {
            table.name: int(
                (await session.execute(select(func.count()).select_from(table))).one()[0]
            )
            for table in Base.metadata.sorted_tables
        }


async def test_preview_agrees_with_placement_when_breakers_bind(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]
        assert run.risk.board.verdict(account_id, "SPX").level is Permission.CAUTIOUS

        small, real = await preview_then_place(client, user, account_id, quantity="1")
        assert real["outcome"] == "accepted" and small["cut"] is None
        assert small["regime"] in {"LOW", "NORMAL", "HIGH", "EXTREME"}
        scopes = {b["scope"]: b for b in small["breakers"]}
        assert set(scopes) == {"market", "symbol", "account"}
        assert "CAUTIOUS" in {b["effective_level"] for b in small["breakers"]}
        assert all(b["reason"] for b in small["breakers"])

        cut, real = await preview_then_place(client, user, account_id, quantity="60")
        assert real["cut"] is not None and Decimal(cut["quantity"]) < 60
        assert [f["effect"] for f in cut["findings"]] == ["cut"]
        assert cut["findings"][0]["code"] == "breaker-cautious-cap"
        assert cut["findings"][0]["breaker"] == "symbol breaker SPX"
        assert cut["findings"][0]["detail"] == real["cut"]["detail"]
        assert cut["findings"][0]["reason"] == real["cut"]["reason"]
        assert cut["detail"].startswith("This order would be accepted. Your order was made smaller")
        assert jargon_in(cut["detail"]) == [], cut["detail"]

        full, real = await preview_then_place(client, user, account_id, quantity="10")
        assert real == {**real, "outcome": "refused", "code": "breaker-cautious-cap"}
        assert "already uses all of it" in full["detail"]

        await run.risk.force(Permission.CLOSED, symbol="IXIC", by="test", reason="a test halt")
        halted, real = await preview_then_place(
            client, user, account_id, symbol="IXIC", quantity="1"
        )
        assert real["code"] == "breaker-closed"
        assert halted["findings"][0]["breaker"] == "symbol breaker IXIC"


async def test_preview_lists_every_objection_at_once(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        guardian, minor = await linked_family(client)
        limits = {"max_order_notional": "100"}
        response = await client.patch(
            f"/api/v1/guardian/minors/{minor.id}/limits", json=limits, headers=guardian.headers
        )
        assert response.status_code == 200, response.text
        account_id = (await open_account(client, minor, starting_cash="1000"))["id"]
        await run.risk.force(Permission.CLOSED, symbol=None, by="test", reason="a test halt")

        previewed, real = await preview_then_place(
            client, minor, account_id, symbol="GOOG", quantity="20"
        )
        codes = [f["code"] for f in previewed["findings"]]
        assert codes == ["breaker-closed", "guardian-order-limit", "insufficient-funds"]
        assert real["code"] == "breaker-closed", "placement meets the first of them"
        for finding in previewed["findings"]:
            assert finding["type"] == f"/problems/{finding['code']}"
            assert finding["detail"] and finding["effect"] == "refuse"
            assert (finding["lesson"] or finding["glossary"] or "").startswith("/api/v1/")
            page = await client.get(finding["type"])
            assert page.status_code == 200
        funds = previewed["findings"][2]["figures"]
        assert Decimal(funds["needed"]) > Decimal(funds["available"]) == Decimal("1000")


async def test_preview_agrees_with_placement_on_money_units_and_minors(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user, starting_cash="1000"))["id"]
    accepted, real = await preview_then_place(client, user, account_id, symbol="GOOG", quantity="1")
    assert real["outcome"] == "accepted" and accepted["findings"] == []
    estimate = accepted["estimate"]
    assert Decimal(estimate["cost"]) == Decimal(estimate["notional"]) + Decimal(
        estimate["commission"]
    )
    assert Decimal(accepted["buying_power_after"]) == Decimal(accepted["buying_power"]) - Decimal(
        estimate["cost"]
    )
    await preview_then_place(client, user, account_id, symbol="GOOG", quantity="20")
    _, real = await preview_then_place(client, user, account_id, symbol="GOOG", quantity="20")
    assert real["code"] == "insufficient-funds"
    _, real = await preview_then_place(
        client, user, account_id, symbol="IXIC", side="sell", quantity="1"
    )
    assert real["code"] == "insufficient-position"

    guardian, minor = await linked_family(client)
    minor_account = (await open_account(client, minor, starting_cash="5000"))["id"]
    waiting, real = await preview_then_place(
        client, minor, minor_account, symbol="GOOG", quantity="1"
    )
    assert real["outcome"] == "waits_for_guardian"
    assert "guardian" in waiting["detail"]
    _, real = await preview_then_place(
        client, minor, minor_account, symbol="GOOG", side="sell", quantity="1"
    )
    assert real["code"] == "minor-no-short"
    assert guardian.id != minor.id


async def test_preview_writes_nothing(client: AsyncClient, runtime: Runtime) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user, starting_cash="100000"))["id"]
    before_account = await account(client, user, account_id)
    before = await row_counts(runtime)
    for fields in (
        {"quantity": "2"},  # a market order that would fill at once
        {"type": "limit", "limit_price": "1", "quantity": "5"},  # one that would rest
        {"notional": "500"},
        {"quantity": "100000"},  # refused
    ):
        await preview(client, user, account_id, **fields)
    assert await row_counts(runtime) == before
    assert await account(client, user, account_id) == before_account
    orders = await client.get("/api/v1/orders", headers=user.headers)
    assert orders.json() == []


async def test_preview_of_a_repeated_client_order_id(client: AsyncClient) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    first = await preview(client, user, account_id, quantity="1", client_order_id="k-1")
    assert first["outcome"] == "accepted" and first["repeat_of"] is None
    placed = await place(client, user, account_id, quantity="1", client_order_id="k-1")
    assert placed.status_code == 201
    again = await preview(client, user, account_id, quantity="1", client_order_id="k-1")
    assert again["outcome"] == "repeat" and again["repeat_of"] == placed.json()["id"]
    repeated = await place(client, user, account_id, quantity="1", client_order_id="k-1")
    assert repeated.status_code == 200 and repeated.json()["id"] == again["repeat_of"]


def test_no_schema_name_is_mangled_by_a_clash() -> None:
    """Two models of one name get module-path names in the OpenAPI document (the generated
    client's types would change name)."""
    from keel.server.app import create_app
    from keel.server.settings import Settings

    document = create_app(Settings()).openapi()
    assert [name for name in document["components"]["schemas"] if "__" in name] == []


async def test_preview_refuses_what_placement_refuses(client: AsyncClient) -> None:
    user, other = await create_user(client), await create_user(client)
    account_id = (await open_account(client, user))["id"]
    body = {"account_id": account_id, "symbol": "SPX", "side": "buy", "quantity": "1"}
    assert (await client.post(PREVIEW, json=body)).status_code == 401
    assert (await client.post(PREVIEW, json=body, headers=other.headers)).status_code == 404
    unknown = await client.post(PREVIEW, json={**body, "symbol": "NOPE"}, headers=user.headers)
    assert unknown.status_code == 422 and unknown.json()["type"] == "/problems/unknown-symbol"
    both = await client.post(PREVIEW, json={**body, "notional": "5"}, headers=user.headers)
    assert both.status_code == 422
