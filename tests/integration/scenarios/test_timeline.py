"""One timeline per scenario: everything stored for an account carries its scenario's market time
(wall time only as `recorded_at`), and equity history has a point at every day's close."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from httpx import AsyncClient
from sqlalchemy import select

from keel.market.bars import SESSION_TZ, session_bounds
from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow
from keel.server.market.component import get_feed
from keel.server.orders.models import FillRow, OrderEventRow, OrderRow
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place


async def test_every_row_of_an_account_carries_market_time(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = get_feed(runtime)
    user = await create_user(client)
    account = await open_account(client, user, starting_cash="50000")
    await feed.step_days(1)
    assert (await place(client, user, account["id"], quantity="3")).status_code == 201
    resting = await place(
        client,
        user,
        account["id"],
        type="limit",
        limit_price="1",
        quantity="1",
        time_in_force="gtc",
    )
    assert resting.status_code == 201, resting.text
    await feed.step_days(2)
    cancelled = await client.delete(f"/api/v1/orders/{resting.json()['id']}", headers=user.headers)
    assert cancelled.status_code == 200, cancelled.text
    sold = await place(client, user, account["id"], side="sell", quantity="3")
    assert sold.status_code == 201
    reset = await client.post(
        f"/api/v1/accounts/{account['id']}/reset", json={}, headers=user.headers
    )
    assert reset.status_code == 200, reset.text

    first_open = session_bounds(feed.calendar[0])[0]
    now = feed.market_time
    assert now is not None
    account_id = account["id"]
    async with runtime.sessionmaker() as session:
        stamped: dict[str, list[tuple[datetime, datetime | None]]] = {
            "ledger": [
                (r.time, r.recorded_at)
                for r in await session.scalars(
                    select(LedgerEntryRow).where(LedgerEntryRow.account_id == account_id)
                )
            ],
            "fills": [
                (r.time, r.recorded_at)
                for r in await session.scalars(
                    select(FillRow).where(FillRow.account_id == account_id)
                )
            ],
            "order events": [
                (r.time, r.recorded_at)
                for r in await session.scalars(
                    select(OrderEventRow)
                    .join(OrderRow, OrderRow.id == OrderEventRow.order_id)
                    .where(OrderRow.account_id == account_id)
                )
            ],
            "equity": [
                (r.time, r.recorded_at)
                for r in await session.scalars(
                    select(EquitySnapshot).where(EquitySnapshot.account_id == account_id)
                )
            ],
        }
    wall_now = runtime.clock.now()
    for kind, rows in stamped.items():
        assert rows, f"no {kind} stored"
        for market_time, recorded_at in rows:
            assert first_open <= market_time <= now, (kind, market_time)
            assert recorded_at is not None and recorded_at.year == wall_now.year, kind
    # deposit, buy, sell, reset (archive + deposit) at least; events of three orders
    assert len(stamped["ledger"]) >= 4 and len(stamped["fills"]) == 2


async def test_equity_history_has_a_point_at_every_close(
    client: AsyncClient, runtime: Runtime
) -> None:
    feed = get_feed(runtime)
    user = await create_user(client)
    account = await open_account(client, user)
    assert (
        await place(client, user, account["id"], symbol="GOOG", quantity="10")
    ).status_code == 201
    await feed.step_days(4)
    response = await client.get(f"/api/v1/accounts/{account['id']}/equity", headers=user.headers)
    assert response.status_code == 200, response.text
    points = response.json()
    closes = [
        p
        for p in points
        if datetime.fromisoformat(p["time"]).astimezone(SESSION_TZ).strftime("%H:%M") == "16:00"
    ]
    days = {datetime.fromisoformat(p["time"]).astimezone(SESSION_TZ).date() for p in closes}
    assert len(days) >= 3, points  # one per closed day (the first day may have closed already)
    # The newest closing point is the last closed day's: cash plus 10 shares at GOOG's close.
    goog_close = feed.previous_close("GOOG")
    assert goog_close is not None
    newest = max(closes, key=lambda p: p["time"])
    expected = Decimal(newest["cash"]) + 10 * goog_close
    assert Decimal(newest["equity"]) == expected.quantize(Decimal("0.01"))
