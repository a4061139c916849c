"""Mastery that unlocks, in the browser: an account that requires "order types" is refused a stop
order with a link to the lesson; the learner follows it, passes the quiz (graded by the server),
and the same stop order is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import buy_at_market, open_account, register
from tests.e2e.servers import REPO, Platform


def right_answers(slug: str) -> dict[str, str]:
    """What a learner who read the lesson would pick (from the lesson's own file)."""
    text = Path(REPO / "content" / "lessons" / f"{slug}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---", 2)[1])
    return {question["id"]: question["answer"] for question in front["quiz"]}


def test_a_stop_order_unlocks_after_the_lesson(keel: Platform, browsing: Browsing) -> None:
    with keel.http() as http:
        learner = register(http, "locked", born="1996-06-06")
        account_id = open_account(http, learner)
        locked = http.put(
            f"/api/v1/lessons/requirements/{account_id}",
            json={"requirements": {"stop_orders": "order-types"}},
            headers=learner.headers,
        )
        assert locked.status_code == 200, locked.text
        buy_at_market(http, learner, account_id, "ACME", "5")

    page, watch = browsing.page()
    watch.allow(422, "/api/v1/orders")
    sign_in(page, learner.email, learner.password)

    def place_stop() -> None:
        page.goto("/trade?symbol=ACME&side=sell")
        page.select_option("#type", "stop")
        page.fill("#amount", "5")
        page.fill("#stop", "1.00")
        page.select_option("#tif", "gtc")
        page.get_by_role("button", name="Review order").click()
        page.get_by_role("button", name="Place order").click()

    place_stop()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Order types")
    refusal.get_by_role("link", name=re.compile("Learn why")).click()
    expect(page.get_by_role("heading", name="Order types", level=1)).to_be_visible()
    for question, choice in right_answers("order-types").items():
        page.locator(f"input[name='{question}'][value='{choice}']").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_test_id("quiz-score")).to_contain_text("Proficient")

    place_stop()
    expect(page.get_by_test_id("order-result")).to_contain_text("Open")
