"""An admin creates a simulated market from the admin page, pauses its clock, and finds a learner
in the user directory and switches their sign-in off: the learner's open app is signed out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import PASSWORD, register, unique_email
from tests.e2e.servers import Platform


def test_an_admin_creates_a_market_and_switches_a_user_off(
    keel: Platform, browsing: Browsing
) -> None:
    admin_email = unique_email("admin")
    keel.cli(
        *("users", "create", "--email", admin_email, "--role", "admin"),
        *("--password", PASSWORD, "--date-of-birth", "1970-01-01"),
    )
    with keel.http() as http:
        learner = register(http, "switched", born="1991-01-01")

    page, _ = browsing.page()
    sign_in(page, admin_email, PASSWORD)
    page.get_by_role("link", name="Admin").click()
    name = f"Made-up market {unique_email('m')[:12]}"
    page.fill("#sc-name", name)
    page.select_option("#sc-source", "simulator")
    expect(page.get_by_text("Six made-up companies")).to_be_visible()
    page.fill("#sc-seed", "7")
    page.fill("#sc-start", "2010-01-04")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status").filter(has_text=f"Created “{name}”")).to_be_visible()
    market = page.get_by_role("region", name=name)
    market.get_by_role("button", name="Pause the clock").click()
    expect(market.get_by_role("button", name="Resume the clock")).to_be_visible()
    expect(market).to_contain_text("paused")

    learner_page, learner_watch = browsing.page()
    sign_in(learner_page, learner.email, learner.password)
    learner_watch.allow(401, "/api/v1/")  # once switched off, every request of the session fails

    page.fill("#user-search", "switched")
    users = page.get_by_role("table", name="Users")
    expect(users.get_by_role("row")).to_have_count(2)  # the header and the learner
    users.get_by_role("button", name="Switched").click()
    page.get_by_role("button", name="Switch sign-in off").click()
    expect(page.get_by_text("This person cannot sign in.")).to_be_visible()
    expect(users.get_by_role("row", name=re.compile("Switched"))).to_contain_text("Switched off")

    learner_page.reload()  # the next request with the old session fails: back to sign-in
    expect(learner_page).to_have_url(re.compile("/login$"), timeout=30_000)
