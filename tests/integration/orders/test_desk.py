"""The order desk: orders queued together share one transaction, each still gets its own answer.

The placements are handed to the desk directly (as the endpoint does, after validating the body),
all queued before its task runs, so they form one batch deterministically.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from keel.server.accounts.invariants import check_all
from keel.server.auth.tokens import ACCESS_TOKEN, TokenClaims, decode_token
from keel.server.errors import ProblemError
from keel.server.metrics import REGISTRY
from keel.server.orders import service
from keel.server.orders.desk import Answer, order_desk
from keel.server.orders.models import OrderRow
from keel.server.orders.schemas import OrderIn
from keel.server.orders.writes import Appends
from keel.server.runtime import Runtime
from tests.integration.approvals.test_guardian_flow import family
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.orders.factories import open_account, place


def claims(runtime: Runtime, user: AuthedUser) -> TokenClaims:
    return decode_token(
        runtime.settings, user.access_token, expected_use=ACCESS_TOKEN, now=runtime.clock.now()
    )


async def desk_place(
    runtime: Runtime, user: AuthedUser, account_id: str, **fields: Any
) -> Answer | ProblemError:
    body = OrderIn.model_validate(
        {"account_id": account_id, "symbol": "SPX", "side": "buy", "type": "market", **fields}
    )
    request = service.parse_request(runtime, body)
    try:
        return await order_desk(runtime).place(claims(runtime, user), request)
    except ProblemError as problem:
        return problem


def batches() -> tuple[float, float]:
    count = REGISTRY.get_sample_value("keel_order_batch_size_count") or 0.0
    total = REGISTRY.get_sample_value("keel_order_batch_size_sum") or 0.0
    return count, total


async def test_one_batch_answers_every_order_as_if_placed_alone(
    client: AsyncClient, runtime: Runtime
) -> None:
    alice, bob = await create_user(client), await create_user(client)
    _, minor = await family(client)
    a = (await open_account(client, alice, starting_cash="1000"))["id"]
    b = (await open_account(client, bob, starting_cash="5000"))["id"]
    m = (await open_account(client, minor, starting_cash="1000"))["id"]
    before = batches()
    results = await asyncio.gather(
        desk_place(runtime, alice, a, quantity="0.1"),
        desk_place(runtime, alice, a, quantity="100"),  # more than the cash
        desk_place(runtime, alice, a, quantity="0.05", client_order_id="once"),
        desk_place(runtime, alice, a, quantity="0.05", client_order_id="once"),
        desk_place(runtime, bob, a, quantity="0.1"),  # alice's account
        desk_place(runtime, minor, m, quantity="0.1"),
        desk_place(runtime, bob, b, quantity="1"),
    )
    after = batches()
    assert after[0] - before[0] == 1 and after[1] - before[1] == 7  # one batch of seven
    filled, refused, first, repeat, foreign, pending, bobs = results
    assert isinstance(filled, tuple) and filled[0].status == "filled" and filled[1] is True
    assert isinstance(refused, ProblemError) and refused.code == "insufficient-funds"
    assert isinstance(first, tuple) and isinstance(repeat, tuple)
    assert first[0].id == repeat[0].id and (first[1], repeat[1]) == (True, False)
    assert isinstance(foreign, ProblemError) and foreign.status == 404
    assert isinstance(pending, tuple) and pending[0].status == "pending_approval"
    assert isinstance(bobs, tuple) and bobs[0].status == "filled"
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(
            select(func.count()).select_from(OrderRow).where(OrderRow.account_id == a)
        )
        assert stored == 2  # the refused order stored nothing
        report = await check_all(session)
    assert report.clean, report.violations
    state = (await client.get(f"/api/v1/accounts/{a}", headers=alice.headers)).json()
    assert Decimal(state["positions"][0]["quantity"]) == Decimal("0.15")


async def test_a_failed_batch_places_its_orders_one_by_one(
    client: AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injected: the batch's write fails once; every order is then placed on its own."""
    users = [await create_user(client) for _ in range(3)]
    accounts = [(await open_account(client, user))["id"] for user in users]
    write = Appends.write
    calls = 0

    async def fail_first(self: Appends, session: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("injected: the batch's INSERT failed")
        await write(self, session)

    monkeypatch.setattr(Appends, "write", fail_first)
    results = await asyncio.gather(
        *(desk_place(runtime, u, a, quantity="1") for u, a in zip(users, accounts, strict=True)),
        desk_place(runtime, users[0], accounts[0], quantity="1000"),  # more than the cash
    )
    *placed, refused = results
    assert calls == 1 + len(users)  # the refused order wrote nothing, in the batch or alone
    assert all(isinstance(r, tuple) and r[0].status == "filled" and r[1] for r in placed)
    assert isinstance(refused, ProblemError) and refused.code == "insufficient-funds"
    async with runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations
    assert report.fills == len(users)


async def test_a_token_older_than_a_password_change_places_nothing(client: AsyncClient) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    changed = await client.post(
        "/api/v1/auth/password",
        headers=user.headers,
        json={"current_password": user.password, "new_password": "saffron-Kettle-77-drift"},
    )
    assert changed.status_code == 200, changed.text
    stale = await place(client, user, account_id, quantity="1")  # the token from before
    assert stale.status_code == 401, stale.text
    assert "log in again" in stale.json()["detail"]
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    listed = await client.get("/api/v1/orders", headers=fresh)
    assert listed.status_code == 200 and listed.json() == []


async def test_orders_still_queued_at_shutdown_get_503(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    waiting = [
        asyncio.create_task(desk_place(runtime, user, account_id, quantity="1")) for _ in range(2)
    ]
    await asyncio.sleep(0)  # both are queued; the desk has not taken them yet
    await order_desk(runtime).stop()
    answers = await asyncio.gather(*waiting)
    assert all(isinstance(a, ProblemError) and a.status == 503 for a in answers)
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(
            select(func.count()).select_from(OrderRow).where(OrderRow.account_id == account_id)
        )
    assert stored == 0
