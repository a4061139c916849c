"""`/instruments` calls a symbol tradable exactly when orders for it are taken, and says why not
in plain words otherwise (VIX is reference only; EURUSD's hourly history is for backtests)."""

from __future__ import annotations

from httpx import AsyncClient

from tests.integration.auth.factories import create_user
from tests.integration.orders.factories import open_account, place
from tests.integration.plain_words import jargon_in


async def test_the_list_agrees_with_order_placement(client: AsyncClient) -> None:
    instruments = (await client.get("/api/v1/instruments")).json()
    by_symbol = {item["symbol"]: item for item in instruments}
    assert by_symbol["SPX"]["tradable"] is True and by_symbol["SPX"]["quoted"] is True
    assert by_symbol["SPX"]["not_tradable_because"] is None
    assert by_symbol["VIX"]["tradable"] is False and by_symbol["VIX"]["quoted"] is False
    assert "reference only" in by_symbol["VIX"]["not_tradable_because"]
    assert "VIX (the CBOE volatility index)" in by_symbol["VIX"]["not_tradable_because"]
    assert by_symbol["EURUSD"]["tradable"] is False
    assert "backtests only" in by_symbol["EURUSD"]["not_tradable_because"]

    user = await create_user(client)
    account_id = (await open_account(client, user))["id"]
    for symbol, item in by_symbol.items():
        response = await place(client, user, account_id, symbol=symbol, quantity="0.01")
        refused_as_untradable = (
            response.status_code == 422 and response.json()["type"] == "/problems/unknown-symbol"
        )
        assert refused_as_untradable is (not item["tradable"]), (symbol, response.text)
        if refused_as_untradable:
            assert response.json()["detail"] == item["not_tradable_because"]
            assert jargon_in(item["not_tradable_because"]) == []


async def test_unknown_and_unquoted_symbols_say_so_plainly(client: AsyncClient) -> None:
    unknown = await client.get("/api/v1/instruments/NOPE/quote")
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("There is no instrument called 'NOPE' here.")
    unquoted = await client.get("/api/v1/instruments/VIX/quote")
    assert unquoted.status_code == 404 and unquoted.json()["type"] == "/problems/no-quote"
    assert "VIX (the CBOE volatility index) has no live price" in unquoted.json()["detail"]
    backwards = await client.get("/api/v1/instruments/SPX/bars?start=2008-02-01&end=2008-01-01")
    assert backwards.status_code == 422
    assert "swap them" in backwards.json()["detail"]
