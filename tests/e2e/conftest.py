"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser) against the
real platform, started here on SQLite and on PostgreSQL + Redis.

Every page a test opens is watched: a JavaScript error, an uncaught exception, a 5xx answer or a
4xx the test did not expect fails the test. Screenshots land in `var/screenshots/` (printed at
the end of the run)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)

from tests.e2e.servers import CHROMIUM, REPO, SHOTS, Platform, platform

AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# Chromium logs every non-2xx fetch as "Failed to load resource"; those answers are judged by
# status below (expected 4xx allowed, 5xx never), not as script errors.
NETWORK_LOG = re.compile(r"^Failed to load resource: the server responded with a status of \d+")

pytestmark = [pytest.mark.e2e]

# Two servers and two browsers share two cores in `make test`: a page may take more than
# Playwright's default 5 s to show what it will show. Waiting longer changes no assertion.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One worker runs every browser test, so each backend's platform starts once.
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def keel(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with platform(request.param, tmp_path_factory.mktemp(f"e2e-{request.param}")) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Browser]:
    # Per test, never per session: Playwright's sync API keeps its own event loop running while it
    # is open, which would break every asyncio test that runs after it in the same worker.
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield launched
        launched.close()


@dataclass
class Watch:
    """What went wrong on a page that the test did not ask for."""

    errors: list[str] = field(default_factory=list)
    failures: list[tuple[int, str, str]] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=list)

    def allow(self, status: int, path: str) -> None:
        """A `status` answer from a URL containing `path` is part of the journey."""
        self.allowed.append((status, path))

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not NETWORK_LOG.match(message.text):
            self.errors.append(message.text)

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append((response.status, response.request.method, response.url))

    def problems(self) -> list[str]:
        found = [f"console error: {text}" for text in self.errors]
        for status, method, url in self.failures:
            expected = status < 500 and any(
                status == code and path in url for code, path in self.allowed
            )
            if not expected:
                found.append(f"unexpected {status} on {method} {url}")
        return found


@dataclass
class Browsing:
    """Open pages in fresh contexts (own storage) and check each one when the test ends."""

    browser: Browser
    base: str
    contexts: list[tuple[BrowserContext, Watch]] = field(default_factory=list)

    def page(self, *, viewport: dict[str, int] = DESKTOP, dark: bool = False) -> tuple[Page, Watch]:
        context = self.browser.new_context(
            base_url=self.base,
            viewport=viewport,  # type: ignore[arg-type]
            color_scheme="dark" if dark else "light",
            bypass_csp=True,  # axe-core is injected as a script
        )
        context.set_default_timeout(20_000)
        watch = Watch()
        page = context.new_page()
        page.on("console", watch.console)
        page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}\n{error.stack}"))
        page.on("response", watch.response)
        self.contexts.append((context, watch))
        return page, watch

    def close(self) -> list[str]:
        problems = [problem for _, watch in self.contexts for problem in watch.problems()]
        for context, _ in self.contexts:
            context.close()
        return problems


@pytest.fixture
def browsing(browser: Browser, keel: Platform) -> Iterator[Browsing]:
    session = Browsing(browser, keel.base)
    yield session
    problems = session.close()
    assert not problems, "\n".join(problems)


def sign_in(page: Page, email: str, password: str, code: Callable[[], str] | None = None) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.fill("#code", code())
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/$"))


def accessibility_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


def shoot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """The whole page; `full_page=False`: the screen as a person sees it (a modal's backdrop is
    fixed to the screen, so a whole-page capture shows the page below the screen uncovered)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
