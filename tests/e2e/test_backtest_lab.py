"""A backtest runs from the lab's form, shows its progress, then its equity and drawdown chart;
a learner's own price file uploads from the lab and backtests the same way."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from keel.market.datasets import load_bundled
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


def test_a_learner_uploads_ten_years_of_prices_and_backtests_them(
    keel: Platform, browsing: Browsing, tmp_path: Path
) -> None:
    """A file bigger than any other request may be (64 KB): the upload route takes up to 10 MB."""
    history = tmp_path / "my SPX 2000-2010.csv"
    load_bundled("SPX").loc["2000-01-01":"2010-12-31"].to_csv(history, index_label="Date")
    assert history.stat().st_size > 64 * 1024
    with keel.http() as http:
        learner = register(http, "uploader", born="1990-05-05")
    page, _ = browsing.page()
    sign_in(page, learner.email, learner.password)
    page.get_by_role("link", name="Backtest lab").click()
    files = page.get_by_role("region", name="Your price files")
    expect(files.get_by_text("No files yet.")).to_be_visible()
    page.set_input_files("#dataset-file", str(history))
    files.get_by_role("button", name="Upload").click()
    expect(files.get_by_role("status")).to_have_text(
        "Uploaded as my-SPX-2000-2010.csv. Pick it under History to test it."
    )
    expect(files.get_by_test_id("dataset")).to_contain_text("my-SPX-2000-2010.csv")

    page.select_option("#bt-symbol", "file:my-SPX-2000-2010.csv")
    expect(page.locator("#bt-from")).to_have_value("")  # the whole file
    page.get_by_role("button", name="Run backtest").click()
    expect(page.get_by_text("Finished")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name=re.compile("my-SPX-2000-2010.csv"))).to_be_visible()
