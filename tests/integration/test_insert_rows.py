"""`db.insert_rows` stores exactly what `session.execute(insert(table), rows)` stores.

On PostgreSQL it hands SQLAlchemy's compiled INSERT and each column's bind processor to asyncpg
directly (the order desk's writes); on SQLite it is `session.execute`. Both backends run.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, cast

from httpx import AsyncClient
from sqlalchemy import Table, insert, select

from keel.server.accounts.models import EquitySnapshot
from keel.server.db import insert_rows
from keel.server.orders.models import OrderRow
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place

NEW_YORK_SUMMER = timezone(timedelta(hours=-4))


def stored(row: Any, table: Table, leave_out: set[str]) -> dict[str, Any]:
    return {
        column.key: getattr(row, column.key) for column in table.c if column.key not in leave_out
    }


async def test_insert_rows_stores_what_session_execute_stores(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    account = await open_account(client, user)
    placed = await place(client, user, account["id"], quantity="2")
    assert placed.status_code == 201, placed.text
    orders = cast(Table, OrderRow.__table__)
    equity = cast(Table, EquitySnapshot.__table__)
    moment = datetime(2008, 9, 15, 10, 30, tzinfo=NEW_YORK_SUMMER)  # not UTC: converted on the way
    snapshot = {"account_id": account["id"], "epoch": 1, "time": moment,
                "cash": Decimal("1234.5"), "equity": Decimal("99999.123456"), "recorded_at": moment}  # fmt: skip
    async with runtime.sessionmaker() as session, session.begin():
        template = (await session.execute(select(OrderRow))).scalar_one()
        values = {column.key: getattr(template, column.key) for column in orders.c}
        cut = {"reason": "a cautious market: 10 % of the usual size", "share": "0.1"}
        ours, theirs = (
            {
                **values,
                "id": str(uuid.uuid4()),
                "client_order_id": name,
                "cut": cut,
                "limit_price": Decimal("101.25"),
                "triggered_at": moment,
            }
            for name in ("ours", "theirs")
        )
        await insert_rows(session, orders, [ours])
        await session.execute(insert(orders), [theirs])
        await insert_rows(session, equity, [snapshot, snapshot])
        await session.execute(insert(equity), [snapshot])
    async with runtime.sessionmaker() as session:
        rows = {
            row.client_order_id: row
            for row in (await session.execute(select(OrderRow))).scalars()
            if row.client_order_id in ("ours", "theirs")
        }
        snapshots = (await session.execute(select(EquitySnapshot))).scalars().all()
    leave_out = {"id", "client_order_id"}
    assert stored(rows["ours"], orders, leave_out) == stored(rows["theirs"], orders, leave_out)
    assert rows["ours"].cut == cut and rows["ours"].limit_price == Decimal("101.25")
    assert rows["ours"].triggered_at == moment.astimezone(UTC)
    written = [stored(row, equity, {"id"}) for row in snapshots if row.time == moment]
    assert len(written) == 3 and written[0] == written[1] == written[2]
    assert written[0]["cash"] == Decimal("1234.5") and written[0]["time"].tzinfo is not None
