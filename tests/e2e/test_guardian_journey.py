"""A minor asks for an account and places an order in the browser; the guardian agrees to the
account, then approves the order, each with a 2FA code; the minor sees it filled — each person in
their own browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import enrol_two_factor, link_minor, register
from tests.e2e.servers import Platform


def test_a_guardian_approves_a_minors_order_with_two_factor(
    keel: Platform, browsing: Browsing
) -> None:
    with keel.http() as http:
        guardian = register(http, "guardian", born="1979-03-04", role="guardian")
        enrol_two_factor(http, guardian)
        minor = register(http, "minor", born="2012-06-01")
        link_minor(http, guardian, minor)

    kid, _ = browsing.page()
    sign_in(kid, minor.email, minor.password)
    # Opening an account waits for the guardian's consent.
    kid.get_by_role("button", name="Open account").click()
    expect(kid.get_by_role("status").filter(has_text="Your guardian has to agree")).to_be_visible()

    parent, _ = browsing.page()
    assert guardian.authenticator is not None
    sign_in(parent, guardian.email, guardian.password, code=guardian.authenticator.code)
    parent.get_by_role("link", name="Guardian").click()
    asked = parent.get_by_role("checkbox", name=re.compile("Minor wants to open the account"))
    expect(asked).to_be_visible()
    asked.check()
    parent.fill("#account-request-code", guardian.authenticator.code())
    parent.get_by_role("button", name="Approve 1 request").click()
    expect(parent.get_by_role("status").filter(has_text="the account is ready")).to_be_visible()

    kid.goto("/trade?symbol=ACME&side=buy")
    expect(kid.get_by_text("Your guardian approves each order")).to_be_visible()
    kid.fill("#amount", "4")
    kid.get_by_role("button", name="Review order").click()
    kid.get_by_role("button", name="Place order").click()
    expect(kid.get_by_test_id("order-result")).to_contain_text("Waiting for guardian")
    kid.get_by_role("link", name="See your orders").click()
    expect(kid.get_by_role("row", name=re.compile("ACME"))).to_contain_text("Waiting for guardian")
    expect(kid.get_by_role("row", name=re.compile("ACME"))).to_contain_text("Waiting for guardian")

    parent.reload()
    request = parent.get_by_role("checkbox", name=re.compile("Minor wants to Buy 4 ACME"))
    expect(request).to_be_visible()
    # Keyboard only: tick the order, type the code, approve.
    request.focus()
    parent.keyboard.press("Space")
    parent.fill("#approval-code", guardian.authenticator.code())
    parent.get_by_role("button", name="Approve 1 order").click()
    expect(parent.get_by_role("status").filter(has_text="Approved")).to_be_visible()

    # The minor's open orders empty themselves live; the order is in the history, filled.
    expect(kid.get_by_role("heading", name="No open orders")).to_be_visible(timeout=30_000)
    kid.get_by_role("tab", name="History").click()
    expect(kid.get_by_role("row", name=re.compile("ACME"))).to_contain_text("Filled")
