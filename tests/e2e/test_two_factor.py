"""A learner turns on two-step sign-in by typing the code for the secret the QR code carries,
gets recovery codes, and signs in again with a code."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import Authenticator, register
from tests.e2e.servers import Platform


def test_two_factor_enrolment_from_the_qr_secret(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "careful", born="1995-09-09")
    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    qr = page.get_by_role("img", name="QR code to add Keel to your authenticator app")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert pyotp.TOTP(secret).now().isdigit()
    authenticator = Authenticator(secret)
    page.fill("#verify-code", authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes").get_by_role("listitem")).to_have_count(10)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, learner.email, learner.password, code=authenticator.code)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
