"""What a 14-year-old beginner should never meet in an API text: exponents, jargon, code."""

from __future__ import annotations

import re

JARGON = (
    "E+",  # 1E+3: a Decimal printed raw
    "E-0",  # 1E-06
    "level 1",
    "standard deviation",
    "probing",
    "sigma",
    "σ",
    "annualized",
    "Decimal(",
    "None",
    "NaN",
)
UNFORMATTED_AMOUNT = re.compile(r"(?<![\d.,])\d{5,}(?:\.\d+)?(?![\d-])")
"""A number of 10,000 or more written without thousands separators (dates and ids excepted)."""


def jargon_in(text: str) -> list[str]:
    """The jargon and unformatted amounts found in `text` (empty when it reads well)."""
    found = [word for word in JARGON if word in text]
    without_dates = re.sub(r"\d{4}-\d{2}-\d{2}", "", text)
    found += UNFORMATTED_AMOUNT.findall(without_dates)
    return found
