"""Trading resumes an account from its stored row (no ledger replay) and caches the epoch's fills:
the results must equal a full replay of what is stored, whatever the order of operations."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select

from keel.domain.account import Account
from keel.domain.enums import OrderSide
from keel.domain.errors import InsufficientFunds
from keel.domain.fills import Fill
from keel.domain.ledger import Ledger, LedgerEntryKind
from keel.server.accounts import repository
from keel.server.accounts.invariants import check_all
from keel.server.accounts.models import PaperAccount, PositionRow
from keel.server.accounts.state import CachedFills, FillCache
from keel.server.app import create_app
from keel.server.orders.mapping import entry_from_row, fill_from_row
from keel.server.orders.workspace import fill_cache
from keel.server.runtime import Runtime
from tests.integration.auth.factories import STRONG_PASSWORD, create_user
from tests.integration.orders.factories import account, open_account, place

NOW = datetime(2024, 1, 2, 15, 0, tzinfo=UTC)


def _fill(number: int, quantity: str = "1") -> Fill:
    return Fill(
        f"F{number}",
        f"O{number}",
        "A",
        "SPX",
        OrderSide.BUY,
        Decimal(quantity),
        Decimal("10"),
        Decimal("0"),
        NOW,
    )


def test_resumed_ledger_continues_numbering_and_balance() -> None:
    ledger = Ledger.resume(balance=Decimal("100.000000"), length=7, epoch=2)
    entry = ledger.append(LedgerEntryKind.FILL_DEBIT, Decimal("-40.00"), time=NOW)
    assert (entry.sequence, entry.epoch, entry.balance_after) == (8, 2, Decimal("60.00"))
    assert len(ledger) == 8 and ledger.entries == (entry,)
    with pytest.raises(InsufficientFunds):
        ledger.append(LedgerEntryKind.FILL_DEBIT, Decimal("-60.01"), time=NOW)
    reset = ledger.reset(time=NOW)
    assert (reset.sequence, reset.amount, ledger.balance, ledger.epoch) == (9, -60, 0, 3)


def test_fill_cache_serves_only_the_state_it_was_stored_for() -> None:
    cache = FillCache(capacity=2)
    cache.put("A", CachedFills(0, 3, (_fill(1),)))
    assert cache.get("A", 0, 3) == (_fill(1),)
    assert cache.get("A", 0, 4) is None  # another process wrote a fill: read again
    assert cache.get("A", 1, 3) is None  # reset
    cache.put("A", CachedFills(0, 2, ()))  # an older state never replaces a newer one
    assert cache.get("A", 0, 3) == (_fill(1),)
    assert cache.earlier("A", 0, 4) == CachedFills(0, 3, (_fill(1),))  # read only what follows
    assert cache.earlier("A", 0, 3) is None and cache.earlier("A", 1, 9) is None
    cache.put("B", CachedFills(0, 1, ()))
    cache.put("C", CachedFills(0, 1, ()))
    assert len(cache) == 2 and cache.get("A", 0, 3) is None  # least recently used dropped


async def _replayed(runtime: Runtime, account_id: str) -> tuple[PaperAccount, Account]:
    async with runtime.sessionmaker() as session:
        row = await session.get(PaperAccount, account_id)
        assert row is not None
        entries = [entry_from_row(r) for r in await repository.ledger_entries(session, row.id)]
        fills = [fill_from_row(r) for r in await repository.fills(session, row.id, row.epoch)]
        return row, Account.restore(row.id, entries, fills)


async def test_orders_sells_and_reset_match_a_full_replay(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash="50000")
    for quantity in ("1", "0.5", "2.25"):
        assert (await place(client, user, opened["id"], quantity=quantity)).status_code == 201
    sold = await place(client, user, opened["id"], side="sell", quantity="1.5")
    assert sold.status_code == 201, sold.text
    too_much = await place(client, user, opened["id"], side="sell", quantity="5")
    assert too_much.status_code == 422  # rolled back: nothing of it may reach the cache
    assert (await place(client, user, opened["id"], quantity="0.25")).status_code == 201

    row, replay = await _replayed(runtime, opened["id"])
    assert row.cash == replay.cash and row.ledger_length == len(replay.ledger)
    cached = fill_cache(runtime).entry(row.id, row.epoch, row.ledger_length)
    assert cached is not None and cached.fills == replay.fills  # converted fill by fill …
    assert cached.positions == replay.positions  # … and positions replayed only over new fills
    assert {s: str(p.average_cost) for s, p in cached.positions.items()} == {
        s: str(p.average_cost) for s, p in replay.positions.items()
    }  # the same exponents too
    state = await account(client, user, opened["id"])
    assert Decimal(state["cash"]) == replay.cash
    [position] = state["positions"]
    assert Decimal(position["quantity"]) == replay.position("SPX").quantity == Decimal("2.5")
    assert Decimal(position["realized_pnl"]) == round(replay.position("SPX").realized_pnl, 2)
    async with runtime.sessionmaker() as session:
        stored = (await session.execute(select(PositionRow))).scalars().one()
        assert stored.quantity == Decimal("2.5")
        assert stored.average_cost == replay.position("SPX").average_cost.quantize(
            Decimal("0.000001")
        )
        assert (await check_all(session)).clean

    reset = await client.post(
        f"/api/v1/accounts/{opened['id']}/reset",
        json={"starting_cash": "1000"},
        headers=user.headers,
    )
    assert reset.status_code == 200, reset.text
    assert (await place(client, user, opened["id"], quantity="0.5")).status_code == 201
    row, replay = await _replayed(runtime, opened["id"])
    assert row.epoch == 1 and row.cash == replay.cash < Decimal("1000")
    assert [p["quantity"] for p in (await account(client, user, opened["id"]))["positions"]]
    async with runtime.sessionmaker() as session:
        assert (await check_all(session)).clean


async def test_fills_placed_by_another_replica_are_seen(
    client: AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two API processes on one database: each one's cached fills go stale when the other trades,
    and the stale entry is caught up with only the fills stored after it."""
    user = await create_user(client)
    opened = await open_account(client, user, starting_cash="100000")
    for quantity in ("1", "0.5"):
        assert (await place(client, user, opened["id"], quantity=quantity)).status_code == 201
    replica = Runtime.build(runtime.settings)
    await replica.start()
    try:
        transport = ASGITransport(app=create_app(runtime=replica))
        async with AsyncClient(transport=transport, base_url="http://replica") as other:
            assert (await place(other, user, opened["id"], quantity="2")).status_code == 201
        async with runtime.sessionmaker() as session:
            row = await session.get(PaperAccount, opened["id"])
            assert row is not None
            assert fill_cache(runtime).get(row.id, row.epoch, row.ledger_length) is None
        reads: list[int] = []
        read_fills = repository.fill_values

        async def recorded(*args: object, after: int = 0) -> object:
            reads.append(after)
            return await read_fills(*args, after=after)  # type: ignore[arg-type]

        monkeypatch.setattr(repository, "fill_values", recorded)
        sold = await place(client, user, opened["id"], side="sell", quantity="3.5")
        assert sold.status_code == 201, sold.text  # only possible if the replica's fill is seen
        assert reads == [2]  # its own two fills were cached: only the replica's was read
    finally:
        await replica.stop()
    row, replay = await _replayed(runtime, opened["id"])
    cached = fill_cache(runtime).entry(row.id, row.epoch, row.ledger_length)
    assert cached is not None and cached.fills == replay.fills
    assert cached.positions == replay.positions
    state = await account(client, user, opened["id"])
    assert state["positions"] == [] or Decimal(state["positions"][0]["quantity"]) == 0
    async with runtime.sessionmaker() as session:
        assert (await check_all(session)).clean


async def test_a_revoked_access_token_cannot_place_orders(client: AsyncClient) -> None:
    user = await create_user(client)
    other = await create_user(client)
    mine = await open_account(client, user)
    theirs = await open_account(client, other)
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": STRONG_PASSWORD, "new_password": STRONG_PASSWORD + "-new"},
        headers=user.headers,
    )
    assert changed.status_code == 200, changed.text
    for account_id in (mine["id"], theirs["id"], "no-such-account"):
        response = await place(client, user, account_id, quantity="1")
        assert response.status_code == 401, response.text
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    placed = await client.post(
        "/api/v1/orders",
        json={
            "account_id": mine["id"],
            "symbol": "SPX",
            "side": "buy",
            "type": "market",
            "quantity": "1",
        },
        headers=fresh,
    )
    assert placed.status_code == 201, placed.text
    assert (await place(client, other, mine["id"], quantity="1")).status_code == 404
