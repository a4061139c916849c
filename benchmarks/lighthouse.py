"""Lighthouse scores of the web app, signed in, as a learner sees it.

    .venv/bin/python benchmarks/lighthouse.py
    KEEL_LIGHTHOUSE_REPORTS=var/lighthouse .venv/bin/python benchmarks/lighthouse.py  # keep the reports

Starts the platform on embedded defaults (a temporary SQLite database, the web app from
`web/dist`, built by `make web`), signs a learner in through Debian's Chromium (Playwright,
a persistent profile), then runs npm `lighthouse` (`web/node_modules`) against that same profile
over the DevTools port for the dashboard and the trade ticket, with the sign-in page beside them as
the page with the least on it. Targets: performance ≥ 90, accessibility 100. Lighthouse's default
mobile emulation (a slow 4G network, a 4× slower CPU) is kept.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = REPO / "web" / "node_modules" / ".bin" / "lighthouse"
PASSWORD = "plum-Orbit-42-velvet"  # pragma: allowlist secret (a throwaway learner of a local run)
REPORTS = (
    Path(os.environ["KEEL_LIGHTHOUSE_REPORTS"]) if "KEEL_LIGHTHOUSE_REPORTS" in os.environ else None
)
"""Where to keep each page's whole Lighthouse report (JSON), when set."""
PAGES = {"sign-in (reference)": "/login", "dashboard": "/", "trade ticket": "/trade?symbol=ACME"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_platform(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "KEEL_VAR_DIR": str(root),
        "KEEL_DEMO_USERS": "false",
        "KEEL_LOG_LEVEL": "WARNING",
        "KEEL_REPLAY_START": "2006-03-01",
    }
    command = [sys.executable, "-c", "from keel.cli import main; main()", "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("the platform did not start")


def learner_with_positions(base: str) -> str:
    email = f"lighthouse-{int(time.time())}@example.com"
    with httpx.Client(base_url=base, timeout=30) as http:
        http.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": PASSWORD,
                "display_name": "Lighthouse",
                "date_of_birth": "1990-01-01",
            },
        ).raise_for_status()
        token = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        account = http.post("/api/v1/accounts", json={"name": "Practice"}, headers=headers).json()
        time.sleep(1)
        for symbol in ("ACME", "GLBX"):
            http.post(
                "/api/v1/orders",
                json={
                    "account_id": account["id"],
                    "symbol": symbol,
                    "side": "buy",
                    "type": "market",
                    "quantity": "10",
                },
                headers=headers,
            )
    return email


def sign_in_profile(profile: Path, base: str, email: str) -> None:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")
        context.close()


METRICS = ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")


def audit(base: str, profile: Path) -> dict[str, tuple[float, float, str]]:
    port = free_port()
    chrome = subprocess.Popen(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scores: dict[str, tuple[float, float, str]] = {}
    try:
        time.sleep(2)
        for name, path in PAGES.items():
            report = subprocess.run(
                [
                    str(LIGHTHOUSE),
                    f"{base}{path}",
                    f"--port={port}",
                    "--disable-storage-reset",
                    "--only-categories=performance,accessibility",
                    "--output=json",
                    "--quiet",
                ],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "CHROME_PATH": CHROMIUM},
            )
            result = json.loads(report.stdout)
            if REPORTS:  # the whole report, to read where the time went
                REPORTS.mkdir(parents=True, exist_ok=True)
                (REPORTS / f"{name.split()[0]}.json").write_text(report.stdout)
            categories, audits = result["categories"], result["audits"]
            scores[name] = (
                round(categories["performance"]["score"] * 100),
                round(categories["accessibility"]["score"] * 100),
                "  ".join(audits[metric]["displayValue"] for metric in METRICS),
            )
    finally:
        chrome.terminate()
    return scores


def main() -> int:
    if not (REPO / "web" / "dist" / "index.html").is_file() or not LIGHTHOUSE.exists():
        raise SystemExit("build the web app first: make web")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        process, base = start_platform(root / "var")
        try:
            email = learner_with_positions(base)
            sign_in_profile(root / "profile", base, email)
            scores = audit(base, root / "profile")
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(
        f"{'page':<22}{'performance':>12}{'accessibility':>15}   LCP  TBT  CLS   (targets ≥ 90, 100)"
    )
    for name, (performance, accessibility, metrics) in scores.items():
        print(f"{name:<22}{performance:>12}{accessibility:>15}   {metrics}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
