"""A learner switches autopilot on in Settings, reads what it does (breakers and the guardian
still apply), and finds it still on after a reload; the API says the same."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, accessibility_violations, sign_in
from tests.e2e.people import open_account, register
from tests.e2e.servers import Platform


def test_autopilot_is_switched_on_in_settings(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "pilot", born="1994-04-04")
        account_id = open_account(http, learner)
    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.get_by_role("link", name="Settings").click()
    explanation = page.get_by_test_id("autopilot-explanation")
    expect(explanation).to_contain_text("circuit breakers")
    expect(explanation).to_contain_text("guardian")
    switch = page.get_by_role("checkbox", name="Autopilot trades for “Practice”")
    expect(switch).not_to_be_checked()
    expect(page.get_by_text("No decisions yet.")).to_be_visible()
    switch.check()
    expect(switch).to_be_checked()
    assert accessibility_violations(page) == []

    page.reload()
    expect(page.get_by_role("checkbox", name="Autopilot trades for “Practice”")).to_be_checked()
    with keel.http() as http:
        answer = http.get(f"/api/v1/accounts/{account_id}/autopilot", headers=learner.headers)
        assert answer.status_code == 200 and answer.json()["enabled"] is True
