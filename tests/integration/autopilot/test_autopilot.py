"""Issue 10, autopilot end to end on the default replay (2008-09-02 on, 12 ticks a day), on both
database backends, with breakers enforcing and a real model: the small hybrid trained on SPX
1999–2003 (its circuit runs on every signal, so the signals repeat on any machine).

The model's calls for SPX on these days (P(up) at the last close, the optimizer's threshold for
the HIGH regime being 58 %): 08-29 53 % (hold), 09-02 59 % (buy), 09-05 37 % (sell), 09-10
34 % (sell).

- signals become orders through the order gate, marked `autopilot`, at most one a day and
  symbol, none again when a restarted engine looks at the same day;
- while SPX's breaker is CLOSED (an admin's halt), autopilot places no order and says why;
- a minor's autopilot order waits for the guardian's approval, and fills once approved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from keel.server.autopilot.runner import AutopilotRunner
from keel.server.market.component import get_feed
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from tests.integration.approvals.test_guardian_flow import family
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import Replay, create_admin, replay
from tests.integration.model_registry.factories import store_small_model
from tests.integration.orders.factories import open_account, place

GENEROUS_BUDGET = 60.0


async def switch_on(client: AsyncClient, user: AuthedUser, account_id: str) -> dict[str, Any]:
    response = await client.put(
        f"/api/v1/accounts/{account_id}/autopilot", json={"enabled": True}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["enabled"] is True and "guardian" in body["explanation"]
    return body


async def run_until(run: Replay, day: date) -> None:
    """Step the replay until its market date reaches `day` (autopilot acts on the day's first step)."""
    await run.step_until(lambda risk: (risk.feed.market_date or day) >= day, limit=200)


async def decisions(client: AsyncClient, user: AuthedUser, account_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/accounts/{account_id}/autopilot", headers=user.headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["decisions"]
    return sorted(found, key=lambda d: d["signal_day"])


async def orders(client: AsyncClient, user: AuthedUser, account_id: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/orders", params={"account_id": account_id}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    return sorted(response.json(), key=lambda o: o["created_at"])


async def test_signals_become_orders_through_the_gate(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        await store_small_model(run.runtime, latency_budget_seconds=GENEROUS_BUDGET)
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]
        assert (await decisions(client, user, account_id)) == []
        await switch_on(client, user, account_id)

        await run_until(run, date(2008, 9, 9))

        made = await decisions(client, user, account_id)
        days = [d["signal_day"] for d in made]
        assert days == [
            "2008-08-29", "2008-09-02", "2008-09-03", "2008-09-04", "2008-09-05", "2008-09-08"
        ]  # fmt: skip
        assert {d["symbol"] for d in made} == {"SPX"}  # the only symbol with a model
        first, bought = made[0], made[1]
        assert (first["outcome"], first["action"], first["order_id"]) == ("held", "hold", None)
        assert "not sure enough" in first["reason"]
        assert (bought["outcome"], bought["action"]) == ("ordered", "buy")
        assert "rise" in bought["reason"] and bought["code"] is None
        figures = bought["figures"]
        assert Decimal(figures["confidence"]) >= Decimal(figures["confidence_threshold"])
        sold = next(d for d in made if d["action"] == "sell")
        assert sold["outcome"] == "ordered" and sold["signal_day"] == "2008-09-05"

        # Each order decision is one order, marked autopilot, filled through the gate; no other.
        listed = await orders(client, user, account_id)
        assert [o["origin"] for o in listed] == ["autopilot"] * len(listed)
        ordered = [d for d in made if d["outcome"] == "ordered"]
        assert [o["id"] for o in listed] == [d["order_id"] for d in ordered]
        for decision, order in zip(ordered, listed, strict=True):
            assert order["client_order_id"] == f"autopilot-SPX-{decision['signal_day']}"
            assert order["side"] == decision["action"] and order["status"] == "filled"
            assert Decimal(order["quantity"]) == Decimal(decision["quantity"])
        detail = (
            await client.get(f"/api/v1/orders/{listed[0]['id']}", headers=user.headers)
        ).json()
        assert [e["to_status"] for e in detail["events"]] == ["accepted", "filled"]
        state = (await client.get(f"/api/v1/accounts/{account_id}", headers=user.headers)).json()
        spx = [p for p in state["positions"] if p["symbol"] == "SPX"]
        assert [p["quantity"] for p in spx] == ["0"]  # bought on 09-03, all sold on 09-08

        # A restarted (or new) engine looking at the same day again places nothing more.
        live = run.runtime.scenarios[DEFAULT_SCENARIO_ID]
        assert await AutopilotRunner(run.runtime, live).run_day() == []
        assert len(await orders(client, user, account_id)) == len(listed)
        assert len(await decisions(client, user, account_id)) == len(made)

        # Switched off, autopilot leaves the account alone.
        off = await client.put(
            f"/api/v1/accounts/{account_id}/autopilot",
            json={"enabled": False},
            headers=user.headers,
        )
        assert off.json()["enabled"] is False
        await run_until(run, date(2008, 9, 12))
        assert len(await decisions(client, user, account_id)) == len(made)


async def test_no_order_while_the_symbols_breaker_is_closed(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        await store_small_model(run.runtime, latency_budget_seconds=GENEROUS_BUDGET)
        user = await create_user(client)
        account_id = (await open_account(client, user, starting_cash="100000"))["id"]
        held = await place(client, user, account_id, quantity="10")  # before the halt
        assert held.status_code == 201, held.text
        admin = await create_admin(client, run.runtime)
        halt = await client.post(
            "/api/v1/admin/breakers/halt",
            json={"scope": "symbol", "symbol": "SPX", "reason": "autopilot test"},
            headers=admin.headers,
        )
        assert halt.status_code == 200, halt.text
        await switch_on(client, user, account_id)

        await run_until(run, date(2008, 9, 9))

        made = await decisions(client, user, account_id)
        assert len(made) == 6
        wanted = [d for d in made if d["action"] != "hold"]
        assert {d["action"] for d in wanted} == {"buy", "sell"}
        for decision in wanted:
            assert decision["outcome"] == "refused" and decision["order_id"] is None
            assert decision["code"] == "breaker-closed"
            assert "none was placed" in decision["reason"] and "paused" in decision["reason"]
        listed = await orders(client, user, account_id)
        assert [o["origin"] for o in listed] == ["person"]  # the learner's own buy only

        # Once the admin resumes SPX, the next confident call trades: 09-10's "down" sells.
        resume = await client.post(
            "/api/v1/admin/breakers/resume",
            json={"scope": "symbol", "symbol": "SPX"},
            headers=admin.headers,
        )
        assert resume.status_code == 200, resume.text
        await run_until(run, date(2008, 9, 11))
        last = (await decisions(client, user, account_id))[-1]
        assert (last["signal_day"], last["action"], last["outcome"]) == (
            "2008-09-10",
            "sell",
            "ordered",
        )
        sold = (await orders(client, user, account_id))[-1]
        assert (sold["origin"], sold["side"], sold["quantity"]) == ("autopilot", "sell", "10")


async def test_a_minors_autopilot_order_waits_for_the_guardian(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        await store_small_model(run.runtime, latency_budget_seconds=GENEROUS_BUDGET)
        guardian, minor = await family(client)
        account_id = (await open_account(client, minor, starting_cash="100000"))["id"]
        await switch_on(client, minor, account_id)

        await run_until(run, date(2008, 9, 3))

        made = await decisions(client, minor, account_id)
        bought = made[-1]
        assert (bought["signal_day"], bought["action"]) == ("2008-09-02", "buy")
        assert bought["outcome"] == "waiting_for_guardian"
        assert "guardian" in bought["reason"]
        order = (await orders(client, minor, account_id))[-1]
        assert order["id"] == bought["order_id"] and order["origin"] == "autopilot"
        assert order["status"] == "pending_approval" and order["filled_quantity"] == "0"

        queue = (await client.get("/api/v1/guardian/approvals", headers=guardian.headers)).json()
        assert [item["order"]["id"] for item in queue] == [order["id"]]
        assert queue[0]["order"]["origin"] == "autopilot"
        approved = await client.post(
            f"/api/v1/guardian/approvals/{order['id']}/approve", json={}, headers=guardian.headers
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "filled"
        assert get_feed(run.runtime).market_date == date(2008, 9, 3)
