"""The WebSocket drops: the app says it is reconnecting, reconnects, and catches up with what
happened meanwhile (an order filled while it was offline), with no page reload."""

from __future__ import annotations

import re

from playwright.sync_api import WebSocketRoute, expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import buy_at_market, log_in, open_account, register
from tests.e2e.servers import Platform


def test_the_app_reconnects_and_catches_up(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "offline", born="1989-07-07")
        account_id = open_account(http, learner)
    page, _ = browsing.page()
    sockets: list[WebSocketRoute] = []
    cut = {"on": False}

    def through(ws: WebSocketRoute) -> None:
        # Every socket the app opens goes to the real server, unless the network is "down".
        if cut["on"]:
            ws.close(code=4000, reason="network down")
            return
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/api/v1/ws$"), through)
    sign_in(page, learner.email, learner.password)
    page.get_by_role("link", name="Orders").click()
    page.get_by_role("tab", name="History").click()
    page.evaluate("window.__noReload = true")
    expect(page.get_by_role("heading", name="No finished orders yet")).to_be_visible()

    cut["on"] = True
    for ws in sockets:
        ws.close(code=4000, reason="network down")
    expect(page.get_by_text("Live updates paused")).to_be_visible()

    with keel.http() as http:
        order_id = buy_at_market(http, log_in(http, learner), account_id, "ACME", "2")
    cut["on"] = False
    expect(page.get_by_text("Live updates paused")).to_be_hidden(timeout=30_000)
    row = page.get_by_test_id(f"order-{order_id}")
    expect(row).to_contain_text("Filled", timeout=30_000)
    assert page.evaluate("window.__noReload") is True
