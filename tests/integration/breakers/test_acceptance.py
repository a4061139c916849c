"""Acceptance 11: through the API, in a replay from 2008-09-01, the breakers bind orders.

The replay is stepped by hand (12 ticks a trading day) on both database backends:

- 2008-09-02, first day: SPX is already in a HIGH regime after the warm-up on earlier history, so its
  breaker is CAUTIOUS and a buy above the cap (0.5 × equity, docs/risk.md) is reduced; GOOG, judged
  against its own past (thresholds from its bars before the start), is HIGH too, not EXTREME;
- 2008-09-29: SPX falls more than 7 % below the prior close; the market-wide breaker closes the
  market and a buy is refused with its reason (naming SPX) and a reopening time in market hours;
- on the way back the market is RESTRICTED: a sell that reduces the position is accepted, a new
  position is cut to 10 % of equity, and a buy of SPX, already held above that, is refused.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from keel.domain.enums import Permission, Regime
from keel.market.bars import SESSION_TZ
from keel.risk.sessions import in_market_hours
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import replay
from tests.integration.orders.factories import open_account, place

PROBLEM = "/problems/"


def refused(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEM + code, body
    return body


async def test_breakers_bind_orders_through_the_api(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client, risk = run.client, run.risk
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]

        # First day: SPX HIGH → CAUTIOUS; a buy of ~77 % of equity is cut to the 50 % cap.
        assert risk.feed.market_date == date(2008, 9, 2)
        verdict = risk.board.verdict(account_id, "SPX")
        assert (verdict.level, verdict.regime) == (Permission.CAUTIOUS, Regime.HIGH)
        placed = await place(client, user, account_id, quantity="60")
        assert placed.status_code == 201, placed.text
        order = placed.json()
        bought = Decimal(order["filled_quantity"])
        assert order["status"] == "filled" and Decimal(order["quantity"]) == bought
        assert 0 < bought < 60
        assert bought * Decimal(order["average_fill_price"]) <= Decimal("50000")
        detail = (await client.get(f"/api/v1/orders/{order['id']}", headers=user.headers)).json()
        assert "CAUTIOUS caps a position in SPX" in detail["cut"]["reason"]
        assert detail["requested_quantity"] == "60"

        # GOOG's thresholds are its own (livelier than SPX): HIGH, so CAUTIOUS, and a small buy
        # goes through whole.
        goog = risk.trackers["GOOG"].calibration
        assert goog is not None and goog.own and goog.last is not None
        assert goog.last < pd.Timestamp("2008-09-01") and goog.thresholds[2] > 0.6
        verdict = risk.board.verdict(account_id, "GOOG")
        assert (verdict.level, verdict.regime) == (Permission.CAUTIOUS, Regime.HIGH)
        small = await place(client, user, account_id, symbol="GOOG", quantity="1")
        assert small.status_code == 201 and small.json()["status"] == "filled", small.text

        # Step to the market-wide halt: 2008-09-29, SPX more than 7 % under the prior close.
        await run.step_until_market(Permission.CLOSED)
        assert risk.market_time().astimezone(SESSION_TZ).date() == date(2008, 9, 29)
        body = refused(await place(client, user, account_id, quantity="1"), "breaker-closed")
        assert body["breaker"] == "market-wide breaker" and body["permission"] == "CLOSED"
        assert "SPX (the S&P 500 index)" in body["detail"] and "fell" in body["detail"]
        assert "level 1" not in body["detail"] and "the index" not in body["detail"]
        reopen_at = datetime.fromisoformat(body["reopen_at"])
        assert in_market_hours(reopen_at) == reopen_at
        # The numbers sit apart from the words, machine-readable.
        assert body["figures"]["fall"] >= 0.07 and body["figures"]["threshold"] == 0.07
        assert body["figures"]["permission"] == "CLOSED"
        refused(await place(client, user, account_id, side="sell", quantity="1"), "breaker-closed")

        # Recovery passes through RESTRICTED: reducing sells pass; new exposure is cut to 10 % of
        # equity (IXIC, not held); SPX, held above that, has no room left.
        await run.step_until_market(Permission.RESTRICTED)
        assert risk.board.verdict(account_id, "SPX").level is Permission.RESTRICTED
        sold = await place(client, user, account_id, side="sell", quantity="10")
        assert sold.status_code == 201, sold.text
        assert sold.json()["status"] == "filled"
        cut = await place(client, user, account_id, symbol="IXIC", quantity="20")
        assert cut.status_code == 201, cut.text
        ixic = cut.json()
        units = Decimal(ixic["filled_quantity"])
        assert ixic["status"] == "filled" and 0 < units < 20
        assert units * Decimal(ixic["average_fill_price"]) <= Decimal("10000")
        body = refused(await place(client, user, account_id, quantity="1"), "breaker-restricted")
        assert "RESTRICTED caps a position in SPX (the S&P 500 index)" in body["detail"]
        assert body["breaker"] == risk.board.verdict(account_id, "SPX").breaker

        # Every step of it is stored with its figures.
        history = await client.get(
            "/api/v1/breakers/history", params={"scope": "market"}, headers=user.headers
        )
        assert history.status_code == 200, history.text
        trip = next(t for t in history.json() if t["rule"] == "mwcb_level_1")
        assert (trip["from_level"], trip["to_level"], trip["kind"]) == (
            "OPEN",
            "CLOSED",
            "escalate",
        )
        assert trip["figures"]["prior_close"] == 1213.27
        assert trip["figures"]["fall"] >= 0.07
        assert trip["at"].startswith("2008-09-29")
