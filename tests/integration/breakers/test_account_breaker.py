"""Account breakers: fed from the account's own cash, fills and the feed's prices.

Through the API: an account that put most of its equity in SPX and IXIC on 2008-09-02 loses more
than the 5 % daily-loss limit on 2008-09-29; its own breaker is then RESTRICTED: a new position is
cut to 10 % of equity, the next buy beyond that is refused, a sell that reduces a position still
passes, and only its owner sees the transition.
The figures behind it (day-start equity, peak, reset) are checked on real SPX closes too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from httpx import ASGITransport, AsyncClient

from keel.domain.account import Account
from keel.domain.enums import OrderSide, Permission
from keel.domain.fills import Fill
from keel.market.bars import session_bounds
from keel.market.datasets import load_bundled
from keel.risk import BreakerBoard, closed_trades_from_fills
from keel.server.accounts.models import PaperAccount
from keel.server.app import create_app
from keel.server.breakers.accounts import AccountWatch, day_start_equity
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import replay
from tests.integration.orders.factories import open_account, place

PROBLEM = "/problems/"
ONE, ZERO = Decimal(1), Decimal(0)


def close_on(day: str) -> Decimal:
    return Decimal(str(load_bundled("SPX").loc[day, "Close"]))


def spx_buy(account: Account, quantity: str, price: Decimal, at: datetime) -> None:
    fill = Fill(
        "f1", "o1", account.id, "SPX", OrderSide.BUY, Decimal(quantity), price, Decimal(0), at
    )
    account.apply_fill(fill)


def test_figures_on_real_closes() -> None:
    opened = datetime(2008, 9, 1, tzinfo=UTC)
    account = Account.open("a1", Decimal("100000"), time=opened)
    bought_at = close_on("2008-09-26")
    spx_buy(account, "60", bought_at, session_bounds(date(2008, 9, 26))[1])
    crash_open, crash_close = session_bounds(date(2008, 9, 29))
    start = day_start_equity(account, crash_open, lambda s: close_on("2008-09-26"))
    assert start == Decimal("100000")  # cash + 60 × the prior close it was bought at
    board = BreakerBoard()
    watch = AccountWatch(board)
    last = close_on("2008-09-29")
    transition = watch.observe(
        account, crash_close, crash_open, lambda s: bought_at, lambda s: last
    )
    assert transition is not None and transition.rule == "daily_loss"
    assert transition.to_level is Permission.RESTRICTED
    loss = 60 * (bought_at - last) / Decimal("100000")
    assert Decimal(transition.figures["loss"]) == loss.quantize(Decimal("0.000001"))
    # A reset starts a new epoch: the old peak no longer counts.
    account.reset(Decimal("50000"), time=crash_close)
    figures = watch.figures(account, crash_open, lambda s: last, lambda s: last)
    assert figures.peak_equity == Decimal("50000") == figures.equity


async def test_daily_loss_restricts_the_account_through_the_api(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client, risk = run.client, run.risk
        owner, stranger = await create_user(client), await create_user(client)
        account_id = (await open_account(client, owner, starting_cash="100000"))["id"]
        for symbol, quantity in (("SPX", "38"), ("IXIC", "20")):
            placed = await place(client, owner, account_id, symbol=symbol, quantity=quantity)
            assert placed.status_code == 201 and placed.json()["status"] == "filled", placed.text

        # To the close of 2008-09-29 (both indexes fell about 9 % that day).
        await run.step_until(lambda r: r.feed.market_date == date(2008, 9, 30))
        assert risk.board.market.level < Permission.RESTRICTED
        # A sell that reduces a position passes (and frees cash to show the cap, not buying power).
        reduced = await place(client, owner, account_id, side="sell", quantity="20")
        assert reduced.status_code == 201, reduced.text
        assert reduced.json()["status"] == "filled"
        # New exposure only up to 10 % of equity (under 100,000 after the loss): cut, not refused.
        cut = await place(client, owner, account_id, symbol="ACME", quantity="1000")
        assert cut.status_code == 201, cut.text
        acme = cut.json()
        units = Decimal(acme["filled_quantity"])
        assert acme["status"] == "filled" and 0 < units < 1000
        assert units * Decimal(acme["average_fill_price"]) <= Decimal("10000")
        detail = await client.get(f"/api/v1/orders/{acme['id']}", headers=owner.headers)
        # The plain cut is in the events; the gate's own words (which breaker, why) in the cut.
        reasons = " ".join(e["reason"] for e in detail.json()["events"])
        reasons += " " + detail.json()["cut"]["reason"]
        assert "RESTRICTED caps a position in ACME" in reasons and "the account lost" in reasons
        # That used the whole allowance: one more unit is refused, naming the account's breaker.
        refusal = await place(client, owner, account_id, symbol="ACME", quantity="1")
        assert refusal.status_code == 422, refusal.text
        body = refusal.json()
        assert body["type"] == PROBLEM + "breaker-restricted"
        assert body["breaker"] == f"account breaker {account_id}"
        assert "the account lost" in body["detail"] and "limit 5%" in body["detail"]
        # A lasting loss is a condition: it says what must change, not a time.
        assert body.get("reopen_at") is None and "back within 5%" in body["detail"]

        params = {"scope": "account"}
        mine = await client.get("/api/v1/breakers/history", params=params, headers=owner.headers)
        trip = next(t for t in mine.json() if t["rule"] == "daily_loss")
        assert trip["scope_key"] == account_id and trip["to_level"] == "RESTRICTED"
        assert Decimal(trip["figures"]["loss"]) >= Decimal("0.05")
        theirs = await client.get(
            "/api/v1/breakers/history", params=params, headers=stranger.headers
        )
        assert theirs.json() == []


def test_closed_trades_replay_only_new_fills_and_start_over_when_history_differs() -> None:
    watch = AccountWatch(BreakerBoard())
    account = Account.open("a1", Decimal("100000"), time=datetime(2008, 9, 1, tzinfo=UTC))
    at = datetime(2008, 9, 2, 15, tzinfo=UTC)
    prices = ["100", "90", "95", "80", "85", "120"]
    for index, price in enumerate(prices):
        side = OrderSide.BUY if index % 2 == 0 else OrderSide.SELL
        fill = Fill(
            f"f{index}", f"o{index}", "a1", "SPX", side, Decimal(1), Decimal(price), Decimal(0), at
        )
        account.apply_fill(fill)
        watch.note_stop_order("a1", "o3")
        assert watch.closed_trades(account) == closed_trades_from_fills(account.fills, {"o3"})
    trades = watch.closed_trades(account)
    assert [(t.realized_pnl, t.by_stop) for t in trades] == [(-10, False), (-15, True), (35, False)]
    # Another history for the same account (e.g. a rolled-back transaction): replayed afresh.
    other = Account.open("a1", Decimal("100000"), time=datetime(2008, 9, 1, tzinfo=UTC))
    other.apply_fill(Fill("g0", "p0", "a1", "SPX", OrderSide.BUY, ONE, Decimal(50), ZERO, at))
    other.apply_fill(Fill("g1", "p1", "a1", "SPX", OrderSide.SELL, ONE, Decimal(70), ZERO, at))
    assert [t.realized_pnl for t in watch.closed_trades(other)] == [20]


def no_price(symbol: str) -> Decimal | None:
    return None  # the account holds nothing to price


def test_a_stored_peak_is_the_drawdown_reference_of_a_process_that_never_saw_it() -> None:
    watch = AccountWatch(BreakerBoard())
    account = Account.open("a1", Decimal("100000"), time=datetime(2008, 9, 1, tzinfo=UTC))
    session_open, session_close = session_bounds(date(2008, 9, 2))
    watch.note_peak("a1", 0, Decimal("150000"))  # seen by another process
    transition = watch.observe(account, session_close, session_open, no_price, no_price)
    assert transition is not None and transition.rule == "drawdown"
    assert transition.to_level is Permission.RESTRICTED
    assert watch.peak_equity("a1", 0) == Decimal("150000")
    assert watch.peak_equity("a1", 1) is None  # another epoch: nothing seen
    watch.note_peak("a1", 0, Decimal("120000"))  # a lower stored peak never lowers it
    assert watch.peak_equity("a1", 0) == Decimal("150000")


async def test_every_replica_judges_drawdown_from_the_stored_peak(
    client: AsyncClient, runtime: Runtime
) -> None:
    user = await create_user(client)
    account_id = (await open_account(client, user, starting_cash="100000"))["id"]
    assert (await place(client, user, account_id, quantity="1")).status_code == 201
    async with runtime.sessionmaker() as session:
        row = await session.get(PaperAccount, account_id)
        assert row is not None and row.peak_equity is not None
        assert Decimal("99000") < row.peak_equity <= Decimal("100000")  # the equity it judged
        row.peak_equity = Decimal("1000000")  # as if a peak seen by another replica
        await session.commit()
    enforcing = runtime.settings.model_copy(update={"breaker_mode": "enforce"})
    replica = Runtime.build(enforcing)
    await replica.start()
    try:
        transport = ASGITransport(app=create_app(runtime=replica))
        async with AsyncClient(transport=transport, base_url="http://replica") as other:
            # RESTRICTED by the drawdown: SPX is cut to 10 % of equity, then nothing more.
            cut = await place(other, user, account_id, quantity="10")
            refused = await place(other, user, account_id, quantity="1")
    finally:
        await replica.stop()
    assert cut.status_code == 201, cut.text
    units = Decimal(cut.json()["filled_quantity"])
    assert 0 < units < 10 and (units + 1) * Decimal(cut.json()["average_fill_price"]) <= Decimal(
        "10100"
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"] == PROBLEM + "breaker-restricted", (cut.text, refused.text)
    assert "drawdown" in refused.json()["detail"] or "peak" in refused.json()["detail"]
