"""One gate for minors: the same orders placed through the server's order path (HTTP) and through
the backtester's engine (`ExecutionEngine` with `keel.risk.standard_gate`, as `keel.backtest.live`
builds it) get the same verdicts, with the same problem codes.

The engine is given the minor's account as the server holds it (cash, guardian limits), the
feed's latest quote and the server's fill settings, so both value each order alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from httpx import AsyncClient

from keel.domain.account import Account
from keel.domain.clock import FixedClock
from keel.domain.guardians import GuardianLimits
from keel.domain.order_requests import OrderRequest
from keel.engine import ExecutionEngine
from keel.risk import BreakerBoard, standard_gate
from keel.server.market.component import get_feed
from keel.server.orders.config import execution_config
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account, place

CASH = "5000"
PENDING = "pending_approval"


@dataclass(frozen=True)
class Case:
    """A minor's order and what the guardians allow (`linked=False`: no guardian at all)."""

    order: dict[str, Any]
    linked: bool = True
    cap: str | None = None
    paused: bool = False
    expected: str = PENDING

    def limits(self) -> GuardianLimits | None:
        if not self.linked:
            return None
        cap = Decimal(self.cap) if self.cap is not None else None
        return GuardianLimits(max_order_notional=cap, trading_paused=self.paused)


GOOG_1 = {"symbol": "GOOG", "side": "buy", "quantity": "1"}  # about 477 on the first day
CASES = [
    Case(GOOG_1),
    Case(GOOG_1, linked=False, expected="guardian-required"),
    Case(GOOG_1, paused=True, expected="trading-paused"),
    Case(GOOG_1, cap="100", expected="guardian-order-limit"),
    Case(GOOG_1, cap="1000"),
    Case({"symbol": "GOOG", "side": "buy", "notional": "50"}, cap="100"),
    Case({"symbol": "GOOG", "side": "sell", "quantity": "1"}, expected="minor-no-short"),
    Case({"symbol": "GOOG", "side": "buy", "quantity": "20"}, expected="insufficient-funds"),
    Case(
        {"symbol": "SPX", "side": "buy", "type": "limit", "limit_price": "100", "quantity": "2"},
        cap="150",
        expected="guardian-order-limit",
    ),
]


async def _minor_for(client: AsyncClient, case: Case) -> AuthedUser:
    guardian, minor = await linked_family(client, 15)
    if not case.linked:
        return minor  # unlinked once the guardian has opened the account (_server_verdict)
    limits: dict[str, Any] = {"trading_paused": case.paused, "max_order_notional": case.cap}
    response = await client.patch(
        f"/api/v1/guardian/minors/{minor.id}/limits", json=limits, headers=guardian.headers
    )
    assert response.status_code == 200, response.text
    return minor


async def _server_verdict(client: AsyncClient, case: Case) -> str:
    minor = await _minor_for(client, case)
    account_id = (await open_account(client, minor, starting_cash=CASH))["id"]
    if not case.linked and minor.guardian is not None:
        unlinked = await client.delete(
            f"/api/v1/guardian/minors/{minor.id}", headers=minor.guardian.headers
        )
        assert unlinked.status_code == 204, unlinked.text
    response = await place(client, minor, account_id, **case.order)
    if response.status_code == 201:
        status: str = response.json()["status"]
        return status
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: str = response.json()["type"].rsplit("/", 1)[-1]
    return problem


def _backtester_verdict(runtime: Runtime, case: Case) -> str:
    feed = get_feed(runtime)
    quote = feed.latest_quote(case.order["symbol"])
    assert quote is not None
    clock = FixedClock(quote.time)
    engine = ExecutionEngine(
        clock, execution_config(runtime.settings), gate=standard_gate(BreakerBoard())
    )
    account = Account.open(
        "minor", Decimal(CASH), time=quote.time, is_minor=True, guardian_limits=case.limits()
    )
    engine.add_account(account)
    engine.set_quote(quote)
    fields = {"type": "market", "time_in_force": "day", **case.order}
    request = OrderRequest.parse(account_id="minor", **fields)
    order = engine.place(request, needs_approval=True).order
    return order.rejection_code or order.status.value


async def test_the_server_and_the_backtester_judge_minors_alike(
    client: AsyncClient, runtime: Runtime
) -> None:
    server = [await _server_verdict(client, case) for case in CASES]
    backtester = [_backtester_verdict(runtime, case) for case in CASES]
    assert server == backtester
    assert server == [case.expected for case in CASES]
