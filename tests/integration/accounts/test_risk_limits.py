"""`/accounts/{id}/risk`: the holder sets the account breaker's limits, a linked guardian sets
tighter ones for a minor; stored, handed to the breaker board on change and on start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from httpx import AsyncClient

from keel.risk import AccountFigures, AccountRiskConfig, ClosedTrade
from keel.server.account_risk.applying import load_limits
from keel.server.breakers.startup import get_risk
from keel.server.runtime import Runtime
from tests.integration.auth.factories import AuthedUser, create_user
from tests.integration.guardians.factories import linked_family
from tests.integration.orders.factories import open_account

PROBLEM = "/problems/"
HOLDER = "account holder"
TIGHT: dict[str, Any] = {
    "daily_loss_pct": "2.5",
    "max_drawdown_pct": None,
    "stoploss_guard": {"stop_exits": 2, "window_minutes": 1440, "pause_minutes": 60},
    "loss_cooldown": None,
}


async def _get(client: AsyncClient, user: AuthedUser, account_id: str) -> Any:
    return await client.get(f"/api/v1/accounts/{account_id}/risk", headers=user.headers)


async def _put(client: AsyncClient, user: AuthedUser, account_id: str, body: Any) -> Any:
    return await client.put(f"/api/v1/accounts/{account_id}/risk", json=body, headers=user.headers)


def _board_config(runtime: Runtime, account_id: str) -> AccountRiskConfig:
    return get_risk(runtime).board.account(account_id).config


async def test_the_holder_sets_limits_stored_and_applied(
    client: AsyncClient, runtime: Runtime
) -> None:
    owner, stranger = await create_user(client), await create_user(client)
    account_id = (await open_account(client, owner))["id"]
    defaults = (await _get(client, owner, account_id)).json()
    assert defaults["caller"] == "owner" and defaults["guardian"] is None
    assert defaults["in_force"] == {
        "daily_loss_pct": "5",
        "max_drawdown_pct": "25",
        "stoploss_guard": {"stop_exits": 3, "window_minutes": 360, "pause_minutes": 120},
        "loss_cooldown": {"losing_trades": 3, "cooldown_minutes": 30},
    }
    assert set(defaults["set_by"].values()) == {HOLDER}

    changed = await _put(client, owner, account_id, TIGHT)
    assert changed.status_code == 200, changed.text
    assert changed.json()["in_force"] == TIGHT == changed.json()["own"]
    assert (await _get(client, owner, account_id)).json()["in_force"] == TIGHT  # stored
    config = _board_config(runtime, account_id)
    assert config.daily_loss_limit == Decimal("0.025") and config.max_drawdown is None
    assert (config.stoploss_trades, config.stoploss_window) == (2, timedelta(days=1))
    assert config.stoploss_lock == timedelta(hours=1) and config.loss_streak is None

    # A process that starts applies the stored limits.
    get_risk(runtime).board.configure_account(account_id, AccountRiskConfig())
    assert await load_limits(runtime) >= 1
    assert _board_config(runtime, account_id).daily_loss_limit == Decimal("0.025")

    # Omitted fields take the defaults; an out-of-range percentage is refused.
    reset = await _put(client, owner, account_id, {})
    assert reset.json()["in_force"] == defaults["in_force"]
    bad = await _put(client, owner, account_id, {"daily_loss_pct": "0"})
    assert bad.status_code == 422
    for response in (
        await _get(client, stranger, account_id),
        await _put(client, stranger, account_id, TIGHT),
    ):
        assert response.status_code == 404 and response.json()["type"] == PROBLEM + "not-found"
    assert _board_config(runtime, account_id).daily_loss_limit == Decimal("0.05")


async def test_a_guardians_limits_bind_the_minor(client: AsyncClient, runtime: Runtime) -> None:
    guardian, minor = await linked_family(client)
    other_guardian = await create_user(client, role="guardian")
    guardian_name = (await client.get("/api/v1/me", headers=guardian.headers)).json()[
        "display_name"
    ]
    account_id = (await open_account(client, minor))["id"]
    minors = (await client.get("/api/v1/guardian/minors", headers=guardian.headers)).json()
    assert minors[0]["account_ids"] == [account_id]

    guardian_limits = {
        "daily_loss_pct": "3",
        "max_drawdown_pct": None,  # no guardian limit: the minor's own applies
        "stoploss_guard": {"stop_exits": 2, "window_minutes": 360, "pause_minutes": 120},
        "loss_cooldown": None,
    }
    set_by_guardian = await _put(client, guardian, account_id, guardian_limits)
    assert set_by_guardian.status_code == 200, set_by_guardian.text
    body = set_by_guardian.json()
    assert body["caller"] == "guardian" and body["guardian"] == guardian_limits
    seen = (await _get(client, minor, account_id)).json()
    assert seen["caller"] == "owner" and seen["guardian_name"] == guardian_name
    assert seen["in_force"]["daily_loss_pct"] == "3"
    assert seen["in_force"]["max_drawdown_pct"] == "25"
    assert seen["in_force"]["stoploss_guard"]["stop_exits"] == 2
    ward = f"your guardian {guardian_name}"
    assert seen["set_by"] == {
        "daily_loss": ward,
        "drawdown": HOLDER,
        "stoploss_guard": ward,
        "loss_cooldown": HOLDER,
    }

    # The minor may not loosen the guardian's limits (the defaults are looser) ...
    looser = await _put(client, minor, account_id, {"daily_loss_pct": "4"})
    assert looser.status_code == 403, looser.text
    assert looser.json()["type"] == PROBLEM + "guardian-limit"
    assert (
        "daily loss limit" in looser.json()["detail"] and guardian_name in looser.json()["detail"]
    )
    assert _board_config(runtime, account_id).daily_loss_limit == Decimal("0.03")
    # ... but may tighten them.
    tighter = dict(guardian_limits, daily_loss_pct="2")
    assert (await _put(client, minor, account_id, tighter)).status_code == 200
    config = _board_config(runtime, account_id)
    assert config.daily_loss_limit == Decimal("0.02") and config.who_set("daily_loss") == HOLDER
    assert config.who_set("stoploss_guard") == ward
    # The breaker's reason names the guardian for the rules their limits decide.
    breaker = get_risk(runtime).board.account(account_id)
    at = datetime(2008, 9, 3, 15, tzinfo=UTC)
    halved = AccountFigures(Decimal("100"), Decimal("100"), Decimal("200"))
    assert breaker.observe(halved, [], at) is None  # drawdown: off on both sides
    stops = [ClosedTrade("SPX", at - timedelta(minutes=m), Decimal("-3"), True) for m in (9, 4)]
    tripped = breaker.observe(halved, stops, at)
    assert tripped is not None and tripped.rule == "stoploss_guard"
    assert f"(limit 2, set by {ward})" in tripped.reason
    assert (await _get(client, other_guardian, account_id)).status_code == 404
    assert (await _put(client, other_guardian, account_id, TIGHT)).status_code == 404

    # Unlinking ends the guardian's limits: the minor's own are in force.
    unlinked = await client.delete(f"/api/v1/guardian/minors/{minor.id}", headers=guardian.headers)
    assert unlinked.status_code == 204
    after = (await _get(client, minor, account_id)).json()
    assert after["guardian"] is None and set(after["set_by"].values()) == {HOLDER}
    assert _board_config(runtime, account_id).who_set("stoploss_guard") == HOLDER
    assert (await _get(client, guardian, account_id)).status_code == 404
