"""Shared pytest configuration. Fixtures for one aggregate live in that aggregate's factory module."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Where the browser tests left their screenshots of every page."""
    from tests.e2e.servers import SHOTS

    if SHOTS.is_dir() and any(SHOTS.glob("*.png")):
        count = len(list(SHOTS.glob("*.png")))
        terminalreporter.write_line(f"web app screenshots ({count} pages): {SHOTS}")
