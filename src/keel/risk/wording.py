"""Plain words for breaker texts: instruments by symbol and name, percentages, times.

A learner of 14 should understand every reason without a glossary, so a text names the instrument
("SPX (the S&P 500 index)"), never says "the index" alone, and keeps figures for the separate
`figures` object rather than packing statistics into the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

from keel.domain.enums import Permission
from keel.market.datasets import BUNDLED
from keel.market.simulator import CLASSROOM
from keel.risk.transitions import Scope

_NAMES: Mapping[str, str] = MappingProxyType(
    {
        **{symbol: f"the {info.name}" for symbol, (info, _) in BUNDLED.items()},
        **{t.symbol: t.name.replace(" (fictional)", ", a made-up company") for t in CLASSROOM},
        # "the Alphabet Inc." reads oddly, and a learner knows the company as Google.
        "GOOG": "Alphabet, Google's parent company",
    }
)

INDEX_SYMBOL = "SPX"
"""The index the market-wide breaker watches."""


def instrument(symbol: str) -> str:
    """``SPX (the S&P 500 index)``; a symbol the platform does not know is named as it is."""
    name = _NAMES.get(symbol)
    return f"{symbol} ({name})" if name else symbol


def percent(fraction: float) -> str:
    """0.632 → ``63%``, 0.0725 → ``7.3%`` (one decimal under 10 %, none above)."""
    value = fraction * 100
    return f"{value:.1f}%" if abs(value) < 10 else f"{value:.0f}%"


def duration(span: timedelta) -> str:
    """A span as people say it: ``45 s``, ``26 min`` (whole minutes), ``2.5 h``, ``3 days``."""
    seconds = span.total_seconds()
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    if minutes < 120:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f}".removesuffix(".0") + " h"
    return f"{hours / 24:.1f}".removesuffix(".0") + " days"


LEVEL_MEANING: Mapping[Permission, str] = MappingProxyType(
    {
        Permission.OPEN: "everything your account allows",
        Permission.CAUTIOUS: "new positions at a reduced size",
        Permission.RESTRICTED: "new positions only small; selling what you hold is always fine",
        Permission.CLOSED: "no new orders for now; you can still cancel",
    }
)
"""What each level lets a learner do, in a few words."""


def subject(scope: Scope, scope_key: str) -> str:
    """Who a breaker watches: the market (named by its index), an instrument, or an account."""
    if scope is Scope.MARKET:
        return f"The whole market (watched through {instrument(INDEX_SYMBOL)})"
    if scope is Scope.SYMBOL:
        return instrument(scope_key)
    return "Your account"
