"""A classroom in the browser: a teacher creates a class on a 2008 market, imports a roster of 25
and sees their one-time passwords once; the students (driven through the API) choose passwords
and trade; the teacher starts the clock, skips a few market days and pauses it; the leaderboard
shows every student ranked by the chosen score, and the CSV download matches it. A student's own
page, open all along, gets the class's board live at the market days' closes (the same ranking,
their row marked, no classmate's email); the feedback a student sends reaches the teacher's
triage list."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import Browsing, sign_in
from tests.e2e.people import PASSWORD, Person, log_in, unique_email
from tests.e2e.servers import Platform

STUDENTS = 25
NEW_PASSWORD = "harbour-Lantern-77-moss"  # pragma: allowlist secret


def roster(count: int) -> str:
    tag = unique_email("class").split("@")[0]
    rows = [f"Student {n:02d},{tag}-{n}@example.com,1990-05-{n % 28 + 1:02d}" for n in range(count)]
    return "name,email,date_of_birth\n" + "\n".join(rows) + "\n"


def test_a_teacher_runs_a_class_of_25(keel: Platform, browsing: Browsing) -> None:
    teacher = Person(unique_email("teacher"))
    keel.cli(
        *("users", "create", "--email", teacher.email, "--role", "teacher"),
        *("--password", PASSWORD, "--date-of-birth", "1979-07-07"),
    )
    page, _ = browsing.page()
    sign_in(page, teacher.email, PASSWORD)
    page.get_by_role("link", name="Classes").click()
    expect(page.get_by_text("No classes yet")).to_be_visible()

    page.fill("#class-name", "Period 3")
    page.fill("#class-start", "2008-09-02")
    page.fill("#class-cash", "10000")
    page.fill("#class-speed", "2")
    page.fill("#class-max", "50")
    page.select_option("#score", "sharpe")
    page.get_by_role("button", name="Create the class").click()
    # A new market starts with the class (its history loaded, its volatility warmed up).
    expect(page.get_by_role("status").filter(has_text="Its join code is")).to_be_visible(
        timeout=120_000
    )
    page.get_by_role("link", name="Period 3").click()
    # The header's market date is the class's market here (named), not the teacher's own.
    expect(page.get_by_test_id("market-clock")).to_contain_text("Market date in “Period 3”")
    expect(page.get_by_test_id("market-date")).to_contain_text("2008")

    page.fill("#roster-csv", roster(STUDENTS))
    page.get_by_role("button", name="Add these students").click()
    created = page.get_by_test_id("new-student")
    expect(created).to_have_count(STUDENTS, timeout=120_000)  # 25 accounts, 25 password hashes
    expect(page.get_by_role("status").filter(has_text="shown only once")).to_be_visible()
    students = [
        (row.locator("td").nth(2).inner_text(), row.locator("td").nth(3).inner_text())
        for row in created.all()
    ]
    class_id = page.url.rstrip("/").split("/")[-1]

    with keel.http() as http:
        for n, (email, one_time) in enumerate(students):
            student = log_in(http, Person(email, one_time))
            changed = http.post(
                "/api/v1/auth/password",
                json={"current_password": one_time, "new_password": NEW_PASSWORD},
                headers=student.headers,
            )
            assert changed.status_code == 200, changed.text
            headers = {"Authorization": f"Bearer {changed.json()['access_token']}"}
            (joined,) = http.get("/api/v1/classes", headers=headers).json()
            placed = http.post(
                "/api/v1/orders",
                json={
                    "account_id": joined["my_account_id"],
                    "symbol": "SPX",
                    "side": "buy",
                    "type": "market",
                    "notional": str(200 * (n + 1)),  # from 2 % to 50 % of the starting cash
                },
                headers=headers,
            )
            assert placed.status_code == 201, placed.text

    # A student's page, before any market day of the class has closed: it says what comes next.
    student_page, _ = browsing.page()
    student_email = students[3][0]
    sign_in(student_page, student_email, NEW_PASSWORD)
    student_page.goto("/classes")
    expect(student_page.get_by_text("No market day has closed yet")).to_be_visible()
    student_page.wait_for_timeout(1000)  # its live subscription settles

    page.get_by_role("button", name="Resume the clock").click()
    page.fill("#class-clock-skip", "5")
    page.get_by_role("button", name="Skip forward").click()
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_test_id("class-clock")).to_contain_text("paused", timeout=30_000)

    page.reload()
    standings = page.get_by_test_id("standing")
    expect(standings).to_have_count(STUDENTS, timeout=30_000)
    shown = [
        (row.locator("td").nth(0).inner_text(), row.get_by_role("rowheader").inner_text())
        for row in standings.all()
    ]
    with keel.http() as http:
        teacher = log_in(http, teacher)
        board = http.get(f"/api/v1/classes/{class_id}/leaderboard", headers=teacher.headers).json()
    assert board["score"] == "sharpe"
    assert [(str(s["rank"]), s["name"]) for s in board["standings"]] == shown
    scores = [s["score"] for s in board["standings"]]
    assert all(score is not None for score in scores), scores  # every student traded 5 days
    assert scores == sorted(scores, reverse=True)

    # The student's board arrived over the WebSocket (no reload): the same ranking, their row
    # marked, nothing of a classmate but the display name and the figures.
    board_rows = student_page.get_by_test_id("standing")
    expect(board_rows).to_have_count(STUDENTS, timeout=30_000)
    expect(student_page.locator("tr[aria-current='true']").get_by_role("rowheader")).to_have_text(
        "Student 03 (you)"
    )
    with keel.http() as http:
        me = log_in(http, Person(student_email, NEW_PASSWORD))
        sent = http.post(
            "/api/v1/feedback",
            json={"text": "Why is my rank low?", "page": "/classes"},
            headers=me.headers,
        )
        assert sent.status_code == 201, sent.text
    student_page.reload()
    expect(board_rows).to_have_count(STUDENTS)
    seen = [
        (row.locator("td").nth(0).inner_text(), row.get_by_role("rowheader").inner_text())
        for row in board_rows.all()
    ]
    assert [(rank, name.removesuffix(" (you)")) for rank, name in seen] == shown
    expect(student_page.get_by_text("@example.com")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert [(row["rank"], row["name"]) for row in rows] == shown
    for row, standing in zip(rows, board["standings"], strict=True):
        assert float(row["score"]) == standing["score"]
        assert float(row["total_return"]) == standing["total_return"]
    assert re.match(r"leaderboard-sharpe\.csv", download.value.suggested_filename)

    # The student's feedback waits in the teacher's triage list, on the classes page.
    page.goto("/classes")
    triage = page.get_by_role("region", name="Feedback from your classes")
    item = triage.get_by_role("listitem").filter(has_text="Why is my rank low?")
    expect(item).to_contain_text("/classes")
    item.get_by_label("Status").select_option("done")
    expect(triage.get_by_text("Nothing here")).to_be_visible()
