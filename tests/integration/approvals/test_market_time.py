"""A minor's order waits for its guardian in market time, and its time in force starts when it is
approved: approved 30 replayed trading days later, with one 2FA code for three orders, it fills at
the quote of the day it was approved."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient

from keel.domain.enums import OrderSide
from keel.engine.fill_model import fill_price
from keel.server.market.component import get_feed
from keel.server.orders.config import execution_config
from keel.server.runtime import Runtime
from keel.server.trading_runtime import APPROVAL_CHECK_EVERY
from tests.integration.approvals.factories import decide, enable_2fa
from tests.integration.auth.factories import http_client, runtime_with, totp_code
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place


async def _order(client: AsyncClient, order_id: str, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_approved_thirty_trading_days_later_it_fills_at_the_quote_of_that_day(
    client: AsyncClient, runtime: Runtime
) -> None:
    guardian, minor = await linked_family(client)
    secret = await enable_2fa(client, guardian)
    account_id = (await open_account(client, minor))["id"]
    feed = get_feed(runtime)
    placed_on, placed_at = feed.market_date, feed.market_time
    placed_quote = feed.latest_quote("GOOG")
    assert placed_on is not None and placed_at is not None and placed_quote is not None

    market = (await place(client, minor, account_id, symbol="GOOG", quantity="3")).json()
    assert market["status"] == "pending_approval" and market["time_in_force"] == "day"
    other = (await place(client, minor, account_id, symbol="SPX", notional="500")).json()
    limit = await place(
        client, minor, account_id, symbol="GOOG", type="limit", limit_price="1", quantity="1"
    )
    assert other["status"] == limit.json()["status"] == "pending_approval"
    # The guardian has 60 market days (the default), counted from the replay's time.
    deadline = datetime.fromisoformat(market["approval_expires_at"])
    assert deadline == placed_at + timedelta(days=60)

    await feed.step_days(30)
    for _ in range(5):  # into the session of the day the guardian decides
        await feed.step()
    approved_on = feed.market_date
    assert (
        approved_on is not None
        and len([day for day in feed.calendar if placed_on < day <= approved_on]) == 30
    )
    for order_id in (market["id"], other["id"], limit.json()["id"]):
        waiting = await _order(client, order_id, minor.headers)
        assert waiting["status"] == "pending_approval", waiting  # not expired by the day roll-over

    quote = feed.latest_quote("GOOG")
    assert quote is not None and quote.time.date() == approved_on
    expected = fill_price(OrderSide.BUY, quote, execution_config(runtime.settings))
    then = fill_price(OrderSide.BUY, placed_quote, execution_config(runtime.settings))
    assert expected != then

    answer = await decide(
        client,
        guardian,
        totp_code(secret),
        (market["id"], "approve"),
        (other["id"], "approve"),
        (limit.json()["id"], "reject", "a limit that far away will never fill"),
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["order_id"], r["applied"]) for r in results] == [
        (market["id"], True),
        (other["id"], True),
        (limit.json()["id"], True),
    ]
    assert [r["order"]["status"] for r in results] == ["filled", "filled", "rejected"]
    assert results[0]["order"]["market_date"] == approved_on.isoformat()

    filled = await _order(client, market["id"], minor.headers)
    assert [Decimal(f["price"]) for f in filled["fills"]] == [expected]
    assert Decimal(filled["average_fill_price"]) == expected
    assert [e["to_status"] for e in filled["events"]] == ["pending_approval", "accepted", "filled"]
    rejected = await _order(client, limit.json()["id"], minor.headers)
    assert "a limit that far away" in rejected["status_reason"]


async def test_a_day_order_approved_later_is_good_for_the_day_of_its_approval(
    client: AsyncClient, runtime: Runtime
) -> None:
    guardian, minor = await linked_family(client)
    account_id = (await open_account(client, minor))["id"]
    feed = get_feed(runtime)
    order = (
        await place(
            client, minor, account_id, symbol="GOOG", type="limit", limit_price="1", quantity="1"
        )
    ).json()
    await feed.step_days(3)
    await feed.step()
    approved_on = feed.market_date
    approved = await client.post(
        f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "accepted"
    assert approved.json()["market_date"] == str(approved_on)
    for _ in range(10):  # later in the same session: still working
        await feed.step()
    assert feed.market_date == approved_on
    assert (await _order(client, order["id"], minor.headers))["status"] == "accepted"
    await feed.step_days(1)  # the day of its approval ended
    expired = await _order(client, order["id"], minor.headers)
    assert expired["status"] == "expired" and "session end" in expired["status_reason"]


async def test_the_guardians_deadline_counts_market_time(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    expiry_days = 3
    async with (
        runtime_with(
            database_url,
            tmp_path_factory.mktemp("var"),
            approval_expiry_minutes=expiry_days * 24 * 60,
        ) as runtime,
        http_client(runtime) as client,
    ):
        guardian, minor = await linked_family(client)
        account_id = (await open_account(client, minor))["id"]
        feed = get_feed(runtime)
        placed_at = feed.market_time
        assert placed_at is not None
        order = (await place(client, minor, account_id, symbol="GOOG", quantity="1")).json()
        deadline = placed_at + timedelta(days=expiry_days)
        assert datetime.fromisoformat(order["approval_expires_at"]) == deadline
        await feed.step_days(1)
        assert (await _order(client, order["id"], minor.headers))["status"] == "pending_approval"
        # The engine loop looks at pending approvals every APPROVAL_CHECK_EVERY of market time.
        while feed.market_time is not None and feed.market_time <= deadline + APPROVAL_CHECK_EVERY:
            await feed.step()
        expired = await _order(client, order["id"], minor.headers)
        assert expired["status"] == "expired", expired
        assert expired["status_reason"] == "no guardian approved the order in time"
        late = await client.post(
            f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
        )
        assert late.status_code == 409 and late.json()["type"].endswith("/not-pending-approval")
