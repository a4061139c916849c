"""Keyboard only, as someone who cannot use a mouse: the trade ticket (symbol, sizing by amount,
review, place) and the guardian's approval queue (tick every order, untick one, approve with the
code, reject the rest). No click and no `fill`: Tab, arrow keys, Space, Enter and typing."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import buy_at_market, enrol_two_factor, link_minor, open_account, register
from tests.e2e.servers import Platform

FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
FOCUSED_TEXT = "() => document.activeElement && document.activeElement.textContent.trim()"
FOCUSED_LABEL = (
    "() => { const e = document.activeElement; const l = e && e.closest('label');"
    " return l ? l.textContent.trim() : ''; }"
)


def tab_to(page: Page, probe: str, wanted: re.Pattern[str], *, limit: int = 80) -> None:
    """Press Tab until the focused element matches (its id, text or label, as `probe` reads it);
    fail when the keyboard never reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted.fullmatch(page.evaluate(probe) or ""):
            return
    raise AssertionError(f"Tab never reached {wanted.pattern!r}")


def test_the_trade_ticket_by_keyboard(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "keys", born="1990-02-03")
        open_account(http, learner)
    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.goto("/trade")

    tab_to(page, FOCUSED_ID, re.compile("symbol"))
    page.keyboard.type("ACME")  # a focused list picks the option typed
    expect(page.locator("#symbol")).to_have_value("ACME")

    tab_to(page, FOCUSED_LABEL, re.compile("Number of shares|Shares", re.IGNORECASE))
    page.keyboard.press("ArrowRight")  # the radio group moves to sizing by amount of money
    expect(page.locator("input[name=sizing]:checked")).to_have_value("notional")

    tab_to(page, FOCUSED_ID, re.compile("amount"))
    page.keyboard.type("500")
    tab_to(page, FOCUSED_TEXT, re.compile("Review order"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your order")).to_be_visible()
    expect(page.get_by_test_id("order-preview")).to_contain_text("It would go through.")

    tab_to(page, FOCUSED_TEXT, re.compile("Place order"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("order-result")).to_contain_text("ACME")


def test_the_approval_queue_by_keyboard(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        guardian = register(http, "keyguard", born="1975-08-09", role="guardian")
        enrol_two_factor(http, guardian)
        minor = register(http, "keykid", born="2012-04-05")
        link_minor(http, guardian, minor)
        account_id = open_account(http, minor, guardian=guardian)
        for symbol, quantity in (("ACME", "2"), ("ACME", "3"), ("STRK", "4")):
            buy_at_market(http, minor, account_id, symbol, quantity)

    page, _ = browsing.page()
    assert guardian.authenticator is not None
    sign_in(page, guardian.email, guardian.password, code=guardian.authenticator.code)
    page.goto("/guardian")
    expect(page.get_by_role("checkbox", name=re.compile("Keykid wants to"))).to_have_count(3)

    tab_to(page, FOCUSED_LABEL, re.compile("Tick every order"))
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Approve 3 orders")).to_be_enabled()
    tab_to(page, FOCUSED_LABEL, re.compile("Keykid wants to Buy 4 STRK.*", re.DOTALL))
    page.keyboard.press("Space")  # untick the third: it will be rejected instead
    expect(page.get_by_role("button", name="Approve 2 orders")).to_be_enabled()

    tab_to(page, FOCUSED_ID, re.compile("approval-code"))
    page.keyboard.type(guardian.authenticator.code())
    page.keyboard.press("Enter")  # Enter in the form approves what is ticked
    results = page.get_by_role("status").filter(has_text="Approved")
    expect(results).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("Keykid wants to"))).to_have_count(1)

    tab_to(page, FOCUSED_LABEL, re.compile("Keykid wants to Buy 4 STRK.*", re.DOTALL))
    page.keyboard.press("Space")
    tab_to(page, FOCUSED_ID, re.compile("approval-code"))
    page.keyboard.type(guardian.authenticator.code())
    tab_to(page, FOCUSED_TEXT, re.compile("Reject 1 order"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Rejected")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing to approve")).to_be_visible()
