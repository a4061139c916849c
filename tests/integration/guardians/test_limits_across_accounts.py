"""The guardian's counted limits add up all the minor's accounts (finding 10 of issue 12).

Before: the stop-loss guard, the losing streak and the daily loss were judged per account, so a
minor with two accounts stayed under each count by spreading trades over both. Now, with the
guardian's limits, they are judged on all the minor's accounts together: when the sum reaches the
limit, the next order on any of them is held back, and the refusal says the limit counts every
account. An adult's own limits, doing the same trades in the same replay, stay per account.

Each account keeps its own market's clock: one of the stop-loss guard's accounts trades in a
second scenario (2001), and its stop exit counts by how long ago it happened in that market.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from httpx import Response

from keel.server.accounts.invariants import check_all
from tests.integration.approvals.factories import decide
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.breakers.factories import Replay, create_admin, replay
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place

PROBLEM = "/problems/"
OFF: dict[str, Any] = {
    "daily_loss_pct": None,
    "max_drawdown_pct": None,
    "stoploss_guard": None,
    "loss_cooldown": None,
}
STOP_GUARD = dict(
    OFF, stoploss_guard={"stop_exits": 2, "window_minutes": 1440, "pause_minutes": 120}
)
STREAK = dict(OFF, loss_cooldown={"losing_trades": 2, "cooldown_minutes": 60})
DAILY_LOSS = dict(OFF, daily_loss_pct="5")
COUNTS_ALL = "this limit adds up all your accounts"


async def _limits(run: Replay, who: AuthedUser, account_id: str, body: dict[str, Any]) -> None:
    response = await run.client.put(
        f"/api/v1/accounts/{account_id}/risk", json=body, headers=who.headers
    )
    assert response.status_code == 200, response.text


async def _adult_with_two_accounts(
    run: Replay, body: dict[str, Any]
) -> tuple[AuthedUser, list[str]]:
    """An adult with two accounts, each with its own `body` limits (the peer of the minor)."""
    adult = await create_user(run.client)
    adults = [
        (await open_account(run.client, adult, starting_cash="5000", name=name))["id"]
        for name in ("One", "Two")
    ]
    for account_id in adults:
        await _limits(run, adult, account_id, body)
    return adult, adults


async def _minor_with_two_accounts(
    run: Replay, body: dict[str, Any]
) -> tuple[AuthedUser, str, str]:
    """A minor (with a guardian) and the minor's two accounts, the guardian's `body` limits set."""
    guardian, minor = await linked_family(run.client)
    first = (await open_account(run.client, minor, starting_cash="5000"))["id"]
    second = (await open_account(run.client, minor, starting_cash="5000", name="Two"))["id"]
    await _limits(run, guardian, first, body)
    return minor, first, second


async def _trade(run: Replay, user: AuthedUser, account_id: str, **fields: Any) -> dict[str, Any]:
    """Place an order and, for a minor, have the guardian approve it (no 2FA on: no code)."""
    placed = await place(run.client, user, account_id, **fields)
    assert placed.status_code == 201, placed.text
    order: dict[str, Any] = placed.json()
    if user.guardian is None:
        return order
    assert order["status"] == "pending_approval", order
    decided = await decide(run.client, user.guardian, None, (order["id"], "approve"))
    assert decided.status_code == 200, decided.text
    result: dict[str, Any] = decided.json()["results"][0]
    assert result["applied"], result
    approved: dict[str, Any] = result["order"]
    return approved


def _bid(run: Replay, scenario_id: str) -> Decimal:
    quote = run.runtime.scenarios[scenario_id].feed.latest_quote("SPX")
    assert quote is not None
    return quote.bid


async def _losing_stop_exit(
    run: Replay, user: AuthedUser, account_id: str, scenario_id: str
) -> None:
    """Buy 2 SPX at the ask, then a sell stop for 1 above the bid: it triggers at once and sells
    at the bid, below what was paid (a losing stop exit). 1 SPX stays held (about a quarter of the
    account: more than RESTRICTED's cap on a position, so no new buy fits under it)."""
    bought = await _trade(run, user, account_id, quantity="2")
    assert bought["status"] == "filled", bought
    stop = (_bid(run, scenario_id) * Decimal("1.01")).quantize(Decimal("0.01"))
    sold = await _trade(
        run, user, account_id, side="sell", type="stop", stop_price=str(stop), quantity="1"
    )
    assert sold["status"] == "filled", sold
    assert Decimal(sold["average_fill_price"]) < Decimal(bought["average_fill_price"])


async def _check_clean(run: Replay) -> None:
    """`keel check`: every account's ledger, fills and positions agree."""
    async with run.runtime.sessionmaker() as session:
        report = await check_all(session)
    assert report.clean, report.violations


def _refused_for_all_accounts(response: Response, account_id: str, words: str) -> str:
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert problem["breaker"] == f"account breaker {account_id}", problem
    detail: str = problem["detail"]
    assert words in detail and COUNTS_ALL in detail, detail
    assert "your guardian" in detail, detail
    return str(problem["type"])


async def test_stop_exits_in_two_accounts_add_up(database_url: str, tmp_path: Path) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        admin = await create_admin(client, run.runtime)
        created = await client.post(
            "/api/v1/scenarios",
            json={
                "name": "Dot-com bust",
                "start_date": "2001-03-12",
                "universe": ["SPX"],
                "breaker_mode": "enforce",
            },
            headers=admin.headers,
        )
        assert created.status_code == 201, created.text
        bust = created.json()["id"]

        guardian, minor = await linked_family(client)
        first = (await open_account(client, minor, starting_cash="5000"))["id"]
        response = await client.post(
            f"/api/v1/guardian/minors/{minor.id}/accounts",
            json={"name": "2001", "scenario_id": bust, "starting_cash": "5000"},
            headers=guardian.headers,
        )
        assert response.status_code == 201, response.text
        second = response.json()["id"]
        await _limits(run, guardian, first, STOP_GUARD)
        adult, adults = await _adult_with_two_accounts(run, STOP_GUARD)

        # One losing stop exit in each account: under the limit of 2 in each, 2 together.
        # (The second account trades SPX of 2001, in its own market's time.)
        await _losing_stop_exit(run, minor, first, "default")
        await _losing_stop_exit(run, minor, second, bust)
        for account_id in adults:
            await _losing_stop_exit(run, adult, account_id, "default")

        refused = await place(client, minor, first, quantity="1")
        kind = _refused_for_all_accounts(refused, first, "2 stop-loss exits in the last 24 h")
        assert kind == PROBLEM + "breaker-restricted"
        assert "across your 2 accounts" in refused.json()["detail"]
        # The account in the other market is held back as well, by its own scenario's breaker.
        refused = await place(client, minor, second, quantity="1")
        _refused_for_all_accounts(refused, second, "2 stop-loss exits")
        history = await client.get(
            "/api/v1/breakers/history", params={"scope": "account"}, headers=minor.headers
        )
        trip = next(t for t in history.json() if t["scope_key"] == first)
        assert trip["rule"] == "stoploss_guard" and trip["figures"]["stop_losses"] == 2
        assert trip["figures"]["accounts"] == 2

        # The adult's own limits count each account alone: one stop exit each, still open.
        for account_id in adults:
            allowed = await place(client, adult, account_id, quantity="1")
            assert allowed.status_code == 201, allowed.text
            assert run.risk.board.account(account_id).level.name == "OPEN"
        await _check_clean(run)


async def test_losing_trades_in_two_accounts_make_one_streak(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        minor, first, second = await _minor_with_two_accounts(run, STREAK)
        adult, adults = await _adult_with_two_accounts(run, STREAK)

        # ACME's own breaker is calm: a cap on it comes from the account's breaker.
        assert run.risk.board.symbol("ACME").level.name == "OPEN"
        # First account: ACME for 3,000 bought, 1 ACME sold at a loss (about 3,000 kept: more
        # than half the equity). Second account: 1 ACME bought, and sold at a loss. One losing
        # trade in each account, two in a row.
        for user, (one, two) in ((minor, (first, second)), (adult, tuple(adults))):
            acme = {"symbol": "ACME", "quantity": "1"}
            bought = await _trade(run, user, one, symbol="ACME", notional="3000")
            assert bought["status"] == "filled" and bought["cut"] is None, bought
            assert (await _trade(run, user, one, side="sell", **acme))["status"] == "filled"
            assert (await _trade(run, user, two, **acme))["status"] == "filled"
            assert (await _trade(run, user, two, side="sell", **acme))["status"] == "filled"

        # CAUTIOUS caps a position at half the normal size: the ACME held already fills it.
        refused = await place(client, minor, first, symbol="ACME", quantity="1")
        kind = _refused_for_all_accounts(refused, first, "2 losing trades in a row across your 2")
        assert kind == PROBLEM + "breaker-cautious-cap"
        assert run.risk.board.account(first).level.name == "CAUTIOUS"

        # The adult's streak is counted per account: one losing trade each, nothing capped.
        allowed = await place(client, adult, adults[0], symbol="ACME", quantity="1")
        assert allowed.status_code == 201, allowed.text
        assert allowed.json()["status"] == "filled" and allowed.json()["cut"] is None
        assert run.risk.board.account(adults[0]).level.name == "OPEN"
        await _check_clean(run)


async def test_losses_in_two_accounts_add_up_to_the_daily_limit(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        client = run.client
        minor, first, second = await _minor_with_two_accounts(run, DAILY_LOSS)
        adult, adults = await _adult_with_two_accounts(run, DAILY_LOSS)

        # Nearly all of the first account in SPX and IXIC (half each: the most their breakers
        # allow in one position at the start), a quarter of the second in SPX.
        for user, (one, two) in ((minor, (first, second)), (adult, tuple(adults))):
            for symbol in ("SPX", "IXIC"):
                bought = await _trade(run, user, one, symbol=symbol, notional="2450")
                assert bought["status"] == "filled" and bought["cut"] is None, bought
            assert (await _trade(run, user, two, quantity="1"))["status"] == "filled"

        # To the close of 2008-09-29: both fell about 9 % that day. The first account lost more
        # than 5 % of what it was worth at the session's start, the second about 2 %; together
        # more than 5 % of what both were worth.
        await run.step_until(lambda r: r.feed.market_date == date(2008, 9, 30))

        # ACME's own breaker is calm: new ACME is cut to RESTRICTED's cap (10 % of the normal
        # size) by the second account's breaker, judging both accounts together...
        assert run.risk.board.symbol("ACME").level.name == "OPEN"
        cut = await _trade(run, minor, second, symbol="ACME", quantity="1000")
        assert cut["status"] == "filled" and Decimal(cut["filled_quantity"]) < 1000, cut
        # ... and once that cap is used, the next order is refused.
        refused = await place(client, minor, second, symbol="ACME", quantity="1")
        kind = _refused_for_all_accounts(refused, second, "your 2 accounts together lost")
        assert kind == PROBLEM + "breaker-restricted"
        figures = refused.json()["figures"]
        assert Decimal(figures["loss"]) >= Decimal("0.05") and figures["accounts"] == 2

        # The adult's second account lost about 2 % of its own value: judged alone, not held back.
        # (20 ACME, about 800: more than RESTRICTED's cap, less than the market-wide CAUTIOUS one.)
        allowed = await place(client, adult, adults[1], symbol="ACME", quantity="20")
        assert allowed.status_code == 201, allowed.text
        assert allowed.json()["filled_quantity"] == "20" and allowed.json()["cut"] is None
        assert run.risk.board.account(adults[1]).level.name == "OPEN"
        await _check_clean(run)
