"""Every page, as its people see it: phone (390 px) and desktop (1440 px), light and dark theme.
Each is saved as a screenshot (`var/screenshots/`) and checked by axe-core for WCAG 2.1 A/AA:
zero violations. Console errors fail the test too (the `browsing` fixture)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE, Browsing, accessibility_violations, shoot, sign_in
from tests.e2e.people import (
    PASSWORD,
    Person,
    buy_at_market,
    link_minor,
    log_in,
    open_account,
    register,
    unique_email,
)
from tests.e2e.servers import Platform

LEARNER_PAGES = {
    "dashboard": "/",
    "markets": "/markets",
    "instrument": "/markets/SPX",
    "trade": "/trade?symbol=ACME&side=buy",
    "orders": "/orders",
    "breakers": "/risk",
    "backtests": "/backtests",
    "learn": "/learn",
    "lesson": "/learn/volatility-and-regimes",
    "glossary": "/learn/glossary",
    "settings": "/settings",
    "my-classes": "/classes",
    "signals": "/signals",
    "not-found": "/no-such-page",
}

ADMIN_PAGES = {
    "admin": "/admin",
    "admin-flags": "/admin/flags",
    "admin-feedback": "/admin/feedback",
}


@pytest.fixture
def people(keel: Platform) -> dict[str, Person]:
    if keel.backend != "sqlite":
        pytest.skip("screenshots and accessibility are checked once, on the embedded backend")
    admin_email = unique_email("pages-admin")
    keel.cli(
        *("users", "create", "--email", admin_email, "--role", "admin"),
        *("--password", PASSWORD, "--date-of-birth", "1970-01-01"),
    )
    with keel.http() as http:
        learner = register(http, "pages", born="1993-03-03")
        account_id = open_account(http, learner)
        for symbol, quantity in (("ACME", "5"), ("GLBX", "3")):
            buy_at_market(http, learner, account_id, symbol, quantity)
        backtest = http.post(
            "/api/v1/backtests",
            json={
                "strategy": "sma-cross",
                "symbol": "SPX",
                "from": "2005-01-01",
                "to": "2009-12-31",
            },
            headers=learner.headers,
        )
        assert backtest.status_code in (201, 202), backtest.text
        backtest_page = f"/backtests/{backtest.json()['id']}"
        guardian = register(http, "pages-guardian", born="1980-08-08", role="guardian")
        minor = register(http, "pages-minor", born="2011-04-04")
        link_minor(http, guardian, minor)
        minor_account = open_account(http, minor, guardian=guardian)
        # A second account the minor asks for waits on the guardian's page.
        asked = http.post("/api/v1/accounts", json={"name": "Savings"}, headers=minor.headers)
        assert asked.status_code == 202, asked.text
        buy_at_market(http, minor, minor_account, "ACME", "2")  # it waits for the guardian
        admin = log_in(http, Person(admin_email))
        teacher, pupil = classroom(http, admin)
        # The learner is in the beta cohort (the Signals page) and has sent feedback (the list).
        moved = http.put(
            "/api/v1/admin/cohorts",
            json={"email": learner.email, "cohort": "beta"},
            headers=admin.headers,
        )
        assert moved.status_code == 200, moved.text
        sent = http.post(
            "/api/v1/feedback",
            json={"text": "The chart is great.", "page": "/markets/SPX", "app_state": {"ui": {}}},
            headers=learner.headers,
        )
        assert sent.status_code == 201, sent.text
    learner.pages = {**LEARNER_PAGES, "backtest": backtest_page}
    return {
        "learner": learner,
        "guardian": guardian,
        "admin": admin,
        "teacher": teacher,
        "pupil": pupil,
    }


def chosen_password(http: httpx.Client, email: str, one_time_password: str) -> Person:
    """Sign in with a one-time password and choose `PASSWORD` (as a first sign-in must)."""
    person = log_in(http, Person(email, one_time_password))
    changed = http.post(
        "/api/v1/auth/password",
        json={"current_password": one_time_password, "new_password": PASSWORD},
        headers=person.headers,
    )
    assert changed.status_code == 200, changed.text
    return log_in(http, Person(email))


def classroom(http: httpx.Client, admin: Person) -> tuple[Person, Person]:
    """A teacher (made by the admin) with a class of two students, one of whom signed in, traded
    and sent feedback; two market days of the class have closed (its leaderboard has figures)."""
    made = http.post(
        "/api/v1/admin/teachers",
        json={
            "email": unique_email("pages-teacher"),
            "display_name": "Ms Page",
            "date_of_birth": "1975-05-05",
        },
        headers=admin.headers,
    )
    assert made.status_code == 201, made.text
    teacher = chosen_password(http, made.json()["email"], made.json()["one_time_password"])
    market = {
        "name": "Pages 2008",
        "start_date": "2008-09-02",
        "starting_cash": "10000",
        "paused": True,
    }
    created = http.post(
        "/api/v1/classes", json={"name": "Pages class", "scenario": market}, headers=teacher.headers
    )
    assert created.status_code == 201, created.text
    class_id = created.json()["id"]
    rows = "name,email,date_of_birth\n" + "".join(
        f"Pupil {n},{unique_email('pupil')},1990-01-0{n + 1}\n" for n in range(2)
    )
    imported = http.post(
        f"/api/v1/classes/{class_id}/roster", json={"csv": rows}, headers=teacher.headers
    )
    assert imported.status_code == 201, imported.text
    first = imported.json()["created"][0]
    pupil = chosen_password(http, first["email"], first["one_time_password"])
    buy_at_market(http, pupil, first["account_id"], "SPX", "1")
    sent = http.post(
        "/api/v1/feedback",
        json={"text": "Who is ahead?", "page": "/classes"},
        headers=pupil.headers,
    )
    assert sent.status_code == 201, sent.text
    skipped = http.post(
        f"/api/v1/classes/{class_id}/clock/skip", json={"days": 2}, headers=teacher.headers
    )
    assert skipped.status_code == 200, skipped.text
    teacher.pages = {
        "classes": "/classes",  # with the feedback from the class
        "class": f"/classes/{class_id}",
        "student-view": f"/classes/{class_id}/students/{first['user_id']}",
    }
    pupil.pages = {"class-board": "/classes"}  # the class's leaderboard, their row marked
    return teacher, pupil


def _check(page: Page, name: str, problems: list[str], *, full_page: bool = True) -> None:
    # Up to a minute: under CI's load (two browsers, their servers and the replay on two cores)
    # a page's reads took longer than the default 20 s to fall quiet.
    page.wait_for_load_state("networkidle", timeout=60_000)
    expect(page.locator("h1#page-title, main h1").first).to_be_visible()
    page.wait_for_timeout(300)  # charts draw on the next frame
    shoot(page, name, full_page=full_page)
    problems.extend(f"{name}: {violation}" for violation in accessibility_violations(page))
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{name}: the page is {overflow} px wider than the screen")


@pytest.mark.slow
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_is_accessible_in_both_themes_and_sizes(
    keel: Platform, browsing: Browsing, people: dict[str, Person], viewport: str, theme: str
) -> None:
    size = PHONE if viewport == "phone" else DESKTOP
    problems: list[str] = []
    page, _ = browsing.page(viewport=size, dark=theme == "dark")
    for name, path in (("sign-in", "/login"), ("sign-up", "/register")):
        page.goto(path)
        _check(page, f"{name}-{viewport}-{theme}", problems)
    for who, pages in (
        ("learner", people["learner"].pages),
        ("guardian", {"guardian": "/guardian"}),
        ("admin", ADMIN_PAGES),
        ("teacher", people["teacher"].pages),
        ("pupil", people["pupil"].pages),
    ):
        person = people[who]
        sign_in(page, person.email, person.password)
        if theme == "dark" and page.get_by_role("button", name="Dark theme").is_visible():
            page.get_by_role("button", name="Dark theme").click()
        for name, path in pages.items():
            page.goto(path)
            _check(page, f"{name}-{viewport}-{theme}", problems)
        if who == "learner":  # the feedback dialog, open over a page
            page.get_by_role("button", name="Feedback").click()
            expect(page.get_by_role("dialog", name="Send feedback")).to_be_visible()
            _check(page, f"feedback-dialog-{viewport}-{theme}", problems, full_page=False)
            page.keyboard.press("Escape")
        page.get_by_role("button", name="Sign out").click()
    assert not problems, "\n".join(problems)
