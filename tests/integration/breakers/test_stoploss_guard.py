"""The stop-loss guard on real fills, through the API (replay from 2008-09-01, breakers enforcing).

The holder sets the guard to 2 losing stop exits within a day (`PUT /accounts/{id}/risk`, the
losing-streak cooldown off). Two round trips in SPX each end in a losing stop exit: one a sell stop
resting below the bid that triggers on a later tick (the trading loop's workspace), one a sell stop
above the bid that triggers at placement. The account's own breaker is then RESTRICTED: the next
buy is cut to 10 % of equity, and one beyond that is refused.
Losing exits by market order, in another account, do not trip the guard.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from keel.server.accounts.state import FillCache
from keel.server.market.component import get_feed
from keel.server.orders.workspace import open_workspace
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import Replay, replay
from tests.integration.orders.factories import open_account, place

PROBLEM = "/problems/"
GUARD = {
    "stoploss_guard": {"stop_exits": 2, "window_minutes": 1440, "pause_minutes": 120},
    "loss_cooldown": None,
}


async def _filled(run: Replay, user: AuthedUser, **fields: Any) -> dict[str, Any]:
    response = await place(run.client, user, **fields)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def _status(run: Replay, user: AuthedUser, order_id: str) -> dict[str, Any]:
    response = await run.client.get(f"/api/v1/orders/{order_id}", headers=user.headers)
    body: dict[str, Any] = response.json()
    return body


def _bid(run: Replay) -> Decimal:
    quote = get_feed(run.runtime).latest_quote("SPX")
    assert quote is not None
    return quote.bid


async def test_stop_exits_within_the_window_trip_the_guard(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        owner = await create_user(client)
        account_id = (await open_account(client, owner))["id"]
        configured = await client.put(
            f"/api/v1/accounts/{account_id}/risk", json=GUARD, headers=owner.headers
        )
        assert configured.status_code == 200, configured.text

        # 1: a stop resting below the bid, triggered by a fall on a later tick.
        bought = await _filled(run, owner, account_id=account_id, quantity="1")
        assert bought["status"] == "filled", bought
        stop_price = (_bid(run) * Decimal("0.998")).quantize(Decimal("0.01"))
        resting = await _filled(
            run,
            owner,
            account_id=account_id,
            side="sell",
            type="stop",
            time_in_force="gtc",
            stop_price=str(stop_price),
            quantity="1",
        )
        assert resting["status"] == "accepted", resting
        feed = get_feed(run.runtime)
        for _ in range(300):
            if (await _status(run, owner, resting["id"]))["status"] == "filled":
                break
            await feed.step()
        first = await _status(run, owner, resting["id"])
        assert first["status"] == "filled", first
        assert Decimal(first["average_fill_price"]) < Decimal(bought["average_fill_price"])

        # One stop exit is under the limit: buying is still allowed.
        bought = await _filled(run, owner, account_id=account_id, quantity="1")
        assert bought["status"] == "filled", bought
        # 2: a sell stop above the bid triggers at once and sells at the bid (below the ask paid).
        through = (_bid(run) * Decimal("1.01")).quantize(Decimal("0.01"))
        second = await _filled(
            run,
            owner,
            account_id=account_id,
            side="sell",
            type="stop",
            stop_price=str(through),
            quantity="1",
        )
        assert second["status"] == "filled", second
        assert Decimal(second["average_fill_price"]) < Decimal(bought["average_fill_price"])

        cut = await _filled(run, owner, account_id=account_id, quantity="60")
        assert cut["status"] == "filled", cut
        units = Decimal(cut["filled_quantity"])
        assert 0 < units < 60 and units * Decimal(cut["average_fill_price"]) <= Decimal("10050")
        refused = await place(client, owner, account_id=account_id, quantity="1")
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["type"] == PROBLEM + "breaker-restricted"
        assert problem["breaker"] == f"account breaker {account_id}"
        assert (
            "2 stop-loss exits in the last 24 h (limit 2, set by account holder)"
            in (problem["detail"])
        )
        history = await client.get(
            "/api/v1/breakers/history", params={"scope": "account"}, headers=owner.headers
        )
        trip = next(t for t in history.json() if t["rule"] == "stoploss_guard")
        assert trip["to_level"] == "RESTRICTED" and trip["figures"]["stop_losses"] == 2

        # Read cold from the database (no cached fills), the same two orders are stop exits.
        run.runtime.fill_cache = FillCache()
        async with run.runtime.sessionmaker() as session, session.begin():
            workspace = await open_workspace(session, run.runtime, account_id)
            assert workspace is not None
            assert workspace.stop_order_ids == {resting["id"], second["id"]}

        # Losing exits by market order are not stop exits: no guard trips.
        other = (await open_account(client, owner, name="Market exits"))["id"]
        await client.put(f"/api/v1/accounts/{other}/risk", json=GUARD, headers=owner.headers)
        for _ in range(3):
            assert (await _filled(run, owner, account_id=other, quantity="1"))["status"] == "filled"
            sold = await _filled(run, owner, account_id=other, side="sell", quantity="1")
            assert sold["status"] == "filled"
        losses = await client.get(f"/api/v1/accounts/{other}", headers=owner.headers)
        assert Decimal(losses.json()["realized_pnl"]) < 0
        still_open = await place(client, owner, account_id=other, quantity="1")
        assert still_open.status_code == 201, still_open.text
        assert run.risk.board.account(other).level.name == "OPEN"
