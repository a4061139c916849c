"""A newcomer signs up, opens an account, previews and places a buy; the fill and the position
arrive live, and an order placed elsewhere shows up filled on the open orders page with no reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import PASSWORD, buy_at_market, log_in, open_account, register, unique_email
from tests.e2e.servers import Platform


def test_sign_up_open_an_account_preview_and_buy(keel: Platform, browsing: Browsing) -> None:
    page, _ = browsing.page()
    email = unique_email("newcomer")
    page.goto("/")
    expect(page).to_have_url(re.compile("/login$"))
    page.get_by_role("link", name="Create your account").click()
    page.fill("#display_name", "Ada")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#date_of_birth", "1990-05-17")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Open your first practice account")).to_be_visible()
    page.get_by_role("button", name="Open account").click()
    expect(page.get_by_text("Buying power")).to_be_visible()

    page.get_by_role("link", name="Trade", exact=True).click()
    page.select_option("#symbol", "ACME")
    page.fill("#amount", "10")
    page.get_by_role("button", name="Review order").click()
    expect(page.get_by_role("heading", name="Check your order")).to_be_visible()
    preview = page.get_by_test_id("order-preview")  # the server's own gate, judged before sending
    expect(preview).to_contain_text("It would go through.")
    expect(preview).to_contain_text("Buying power now → after")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_test_id("order-result")).to_contain_text("ACME")

    page.evaluate("window.__noReload = true")
    page.get_by_role("link", name="Dashboard").click()
    row = page.get_by_role("row", name=re.compile("ACME"))
    expect(row).to_contain_text("10", timeout=30_000)
    assert page.evaluate("window.__noReload") is True


def test_an_order_fills_live_on_the_orders_page(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "watcher", born="1985-01-02")
        account_id = open_account(http, learner)
        page, _ = browsing.page()
        sign_in(page, learner.email, learner.password)
        page.get_by_role("link", name="Orders").click()
        expect(page.get_by_role("heading", name="No open orders")).to_be_visible()
        page.evaluate("window.__noReload = true")
        page.get_by_role("tab", name="History").click()

        order_id = buy_at_market(http, log_in(http, learner), account_id, "ACME", "3")
        expect(page.get_by_test_id(f"order-{order_id}")).to_contain_text("Filled", timeout=30_000)
        assert page.evaluate("window.__noReload") is True
