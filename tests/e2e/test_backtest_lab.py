"""A backtest runs from the lab's form, shows its progress, then its equity and drawdown chart."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import register
from tests.e2e.servers import Platform


def test_a_backtest_runs_and_shows_its_chart(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "tester", born="1991-11-11")
    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.get_by_role("link", name="Backtest lab").click()
    expect(page.get_by_role("heading", name="No backtests yet")).to_be_visible()
    page.select_option("#bt-symbol", "SPX")
    page.fill("#bt-from", "2004-01-01")
    page.fill("#bt-to", "2010-12-31")
    page.get_by_role("button", name="Run backtest").click()
    expect(page.get_by_text("Finished")).to_be_visible(timeout=60_000)
    chart = page.get_by_test_id("backtest-chart")
    expect(chart.locator("canvas").first).to_be_visible()
    expect(page.get_by_role("link", name="Download the report")).to_have_attribute(
        "href", f"/api/v1/backtests/{page.url.rsplit('/', 1)[1]}/report"
    )
