"""A learner sends feedback from a page with the keyboard; the admin finds it in the feedback
list, tagged with the page and the flags the learner had, and triages it. The admin then moves the
learner into the beta cohort and the Signals page appears for them. An admin can also move a
learner from the user directory, and the API follows the cohort (signals answer beta only)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, accessibility_violations, sign_in
from tests.e2e.people import PASSWORD, register, unique_email
from tests.e2e.servers import Platform


def test_feedback_reaches_the_admin_and_a_beta_cohort_sees_signals(
    keel: Platform, browsing: Browsing
) -> None:
    admin_email = unique_email("feedback-admin")
    keel.cli(
        *("users", "create", "--email", admin_email, "--role", "admin"),
        *("--password", PASSWORD, "--date-of-birth", "1970-01-01"),
    )
    with keel.http() as http:
        learner = register(http, "feedback", born="1995-05-05")

    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.goto("/markets")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Markets")).to_be_visible()
    expect(nav.get_by_role("link", name="Signals (beta)")).to_have_count(0)
    # Keyboard only: focus the button, open the dialog, type, send.
    page.get_by_role("button", name="Feedback").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Send feedback")
    expect(dialog).to_be_visible()
    page.get_by_label("Your feedback").fill("The regime colours are hard to tell apart.")
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you! Your feedback was sent.")).to_be_visible()
    expect(dialog).to_be_hidden()

    admin, _ = browsing.page()
    sign_in(admin, admin_email, PASSWORD)
    admin.goto("/admin")
    admin.get_by_role("link", name="Feedback").click()
    item = admin.get_by_role("listitem").filter(has_text="The regime colours are hard to tell")
    expect(item).to_contain_text("/markets")
    expect(item).to_contain_text(learner.email)
    expect(item).to_contain_text("feedback-button")  # the flags the learner had
    item.get_by_label("Status").select_option("done")
    admin.get_by_label("Show", exact=True).select_option("done")
    expect(admin.get_by_role("listitem").filter(has_text="regime colours")).to_be_visible()

    admin.get_by_role("link", name="Admin").first.click()
    admin.get_by_role("link", name="Feature flags").click()
    expect(admin.get_by_test_id("flag-model-signals-summary")).to_contain_text("default: off")
    admin.get_by_label("Email", exact=True).fill(learner.email)
    admin.get_by_label("Cohort", exact=True).select_option("beta")
    admin.get_by_role("button", name="Move").click()
    expect(admin.get_by_role("status").filter(has_text="is now in the Beta cohort")).to_be_visible()

    page.reload()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Signals (beta)").click()
    expect(page.get_by_role("heading", name="Model signals")).to_be_visible()
    # The beta cohort gets the page itself (the test server has no trained model stored yet).
    expect(page.get_by_role("heading", name="No signal yet")).to_be_visible()
    expect(page.get_by_role("heading", name="This page is in beta")).to_have_count(0)


def test_the_admin_moves_a_learner_into_beta_from_the_user_directory(
    keel: Platform, browsing: Browsing
) -> None:
    admin_email = unique_email("cohort-admin")
    keel.cli(
        *("users", "create", "--email", admin_email, "--role", "admin"),
        *("--password", PASSWORD, "--date-of-birth", "1970-01-01"),
    )
    with keel.http() as http:
        learner = register(http, "cohort", born="1996-06-06")
        refused = http.get("/api/v1/signals", headers=learner.headers)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"] == "/problems/feature-not-enabled"

    admin, _ = browsing.page()
    sign_in(admin, admin_email, PASSWORD)
    admin.goto("/admin")
    admin.get_by_label("Name or email").fill(learner.email)
    row = admin.get_by_role("row").filter(has_text=learner.email)
    expect(row).to_contain_text("General")
    row.get_by_role("button").click()
    admin.get_by_label("Cohort", exact=True).select_option("beta")
    expect(admin.get_by_role("status").filter(has_text="is now in the Beta cohort")).to_be_visible()
    expect(row).to_contain_text("Beta")
    assert accessibility_violations(admin) == []

    with keel.http() as http:  # the API follows the cohort on the learner's next request
        answered = http.get("/api/v1/signals", headers=learner.headers)
        assert answered.status_code == 200, answered.text
