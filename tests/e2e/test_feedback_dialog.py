"""The feedback dialog over a page taller than the screen, on a phone (390 px) and a desktop
(1440 px): its backdrop covers the whole screen wherever the page was scrolled to, the page behind
does not scroll, Tab stays inside the dialog, and Escape closes it (and the page scrolls again).
Screenshots of the screen as the person sees it land in `var/screenshots/`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    Browsing,
    accessibility_violations,
    shoot,
    sign_in,
)
from tests.e2e.people import register
from tests.e2e.servers import Platform

# What is drawn at a point of the screen: the dialog's ::backdrop is hit as the dialog itself.
DRAWN_AT = "([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.tagName : null; }"
FOCUS_IN_DIALOG = (
    "() => Boolean(document.activeElement && document.activeElement.closest('dialog[open]'))"
)


def _corners(page: Page) -> list[list[int]]:
    width, height = page.evaluate("() => [window.innerWidth, window.innerHeight]")
    return [
        [2, 2],
        [width - 3, 2],
        [2, height - 3],
        [width - 3, height - 3],
        [width // 2, height - 3],
    ]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_feedback_dialog_covers_the_screen_and_holds_the_keyboard(
    keel: Platform, browsing: Browsing, viewport: str
) -> None:
    with keel.http() as http:
        learner = register(http, "dialog", born="1996-06-06")
    size = PHONE if viewport == "phone" else DESKTOP
    page, _ = browsing.page(viewport=size)
    sign_in(page, learner.email, learner.password)
    page.goto("/learn/glossary")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height > 2 * size["height"], f"the glossary is {height} px tall: not a tall page"

    page.get_by_role("button", name="Feedback").click()
    dialog = page.get_by_role("dialog", name="Send feedback")
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Your feedback")).to_be_focused()
    scrolled = page.evaluate("() => window.scrollY")

    # The backdrop covers every corner of the screen, and it stays so after trying to scroll.
    for corner in _corners(page):
        assert page.evaluate(DRAWN_AT, corner) == "DIALOG", corner
    page.mouse.move(5, size["height"] - 5)
    page.mouse.wheel(0, 2000)
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.scrollY") == scrolled, "the page behind the dialog scrolled"
    for corner in _corners(page):
        assert page.evaluate(DRAWN_AT, corner) == "DIALOG", corner
    shoot(page, f"feedback-dialog-tall-page-{viewport}", full_page=False)  # the screen, as seen
    assert accessibility_violations(page) == []

    # Tab and Shift+Tab go round the dialog's own controls only.
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_IN_DIALOG), f"{key} left the dialog"

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Feedback")).to_be_focused()  # focus comes back
    assert page.evaluate("() => window.scrollY") == scrolled
    page.mouse.wheel(0, 1200)
    page.wait_for_function(f"() => window.scrollY > {scrolled}")  # the page scrolls again
