"""The lessons as a component of the runtime: read and checked once per process at start-up.

A malformed lesson raises `keel.learning.ContentError` (file and line) and stops start-up. The
market figures are computed from the history the market store already holds (the bundled series
the scenarios replay), so loading lessons imports no dataset package. The library is kept per
content folder, so runtimes started again in one process (tests) do not read it again.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd

from keel.learning import Library, load_library
from keel.learning.figures import History
from keel.server.lessons import links
from keel.server.market.component import MarketData
from keel.server.settings import Settings

_loaded: dict[Path, Library] = {}


def market_history(market: MarketData) -> History:
    """The stored daily history of each instrument, by symbol."""
    frames = {item.symbol: item.history for item in market.instruments}

    def history(symbol: str) -> pd.DataFrame:
        return frames[symbol]

    return history


def load_lessons(content_dir: Path, history: History) -> Library:
    """The checked library of `content_dir` (read once per process)."""
    folder = content_dir.resolve()
    if folder not in _loaded:
        _loaded[folder] = load_library(folder, history)
    return _loaded[folder]


async def start_lessons(settings: Settings, market: MarketData) -> Library:
    """Load (off the event loop) and check the lessons and glossary; install the teachable links."""
    library = await asyncio.to_thread(
        load_lessons, settings.resolved_content_dir, market_history(market)
    )
    links.install(library)
    return library
