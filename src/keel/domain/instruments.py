"""How messages name an instrument: its symbol, and what it is when the symbol alone says little.

A learner reading "SPX" may not know it is the S&P 500, so every refusal, cut and breaker text
names an index as `SPX (the S&P 500 index)`; other symbols (GOOG, the classroom tickers, a user's
own data) are named by their symbol.
"""

from __future__ import annotations

INDEX_NAMES: dict[str, str] = {
    "SPX": "the S&P 500 index",
    "IXIC": "the NASDAQ Composite index",
    "VIX": "the CBOE volatility index",
}
"""Indices of the bundled history, by symbol (a test keeps this in step with `keel.market.datasets`)."""


def instrument_label(symbol: str) -> str:
    """The symbol as a person should read it: `SPX (the S&P 500 index)`, `GOOG`."""
    name = INDEX_NAMES.get(symbol.upper())
    return f"{symbol} ({name})" if name else symbol
