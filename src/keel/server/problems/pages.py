"""What each problem means, in words a 14-year-old beginner understands: one entry per code.

Every code in `keel.server.errors.PROBLEM_TYPES` has exactly one page (a test checks both ways). A
page says what happened and what to do next, without jargon. The texts live in three modules by
topic, so that neither grows long; a code in both is an error.
"""

from __future__ import annotations

from keel.server.problems.operating import OPERATING_PAGES
from keel.server.problems.page import ProblemPage
from keel.server.problems.people import PEOPLE_PAGES
from keel.server.problems.trading import TRADING_PAGES

__all__ = ["PAGES", "ProblemPage"]

_TWICE = (
    (set(PEOPLE_PAGES) & set(TRADING_PAGES))
    | (set(OPERATING_PAGES) & set(PEOPLE_PAGES))
    | (set(OPERATING_PAGES) & set(TRADING_PAGES))
)
if _TWICE:  # pragma: no cover - a mistake caught on import
    raise RuntimeError(f"problem pages written twice: {sorted(_TWICE)}")

PAGES: dict[str, ProblemPage] = {**PEOPLE_PAGES, **TRADING_PAGES, **OPERATING_PAGES}
