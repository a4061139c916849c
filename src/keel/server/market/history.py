"""The instruments the platform knows, read from the DuckDB + Parquet history store.

The store (`keel.market.MarketStore`) lives under `settings.market_dir`. The first start writes the
bundled real history and the seeded classroom tickers there; later starts (and other processes on
the same `var` folder) reuse the files. Everything here blocks on disk: call it off the event loop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import structlog

from keel.market.bars import Bar, bars_from_frame
from keel.market.store import MarketStore, SymbolInfo

log = structlog.get_logger(__name__)

ONE_DAY = pd.Timedelta(days=1)
REPLAYED_FREQUENCY = "1d"
"""The replay walks trading days; hourly series (EURUSD) are history only."""


@dataclass(frozen=True)
class Instrument:
    """One stored instrument: its metadata and its whole float OHLCV history (datasets shape)."""

    info: SymbolInfo
    history: pd.DataFrame
    stored: bool = True
    """False for a scenario's own series (simulated from its seed, or uploaded): not in the
    shared store, so its bars are cut from `history` (`keel.server.scenarios.sources`)."""

    @property
    def symbol(self) -> str:
        return self.info.symbol

    @property
    def replayed(self) -> bool:
        """Quoted by the live replay: tradable and daily."""
        return self.info.tradable and self.info.frequency == REPLAYED_FREQUENCY

    @property
    def first_date(self) -> date:
        return self.info.first.date()

    @property
    def last_date(self) -> date:
        return self.info.last.date()


def open_store(store: MarketStore) -> list[str]:
    """Fill `store` if it is empty or stale (first start) and log what that cost; returns the
    symbols written (empty when the files were reused)."""
    started = time.perf_counter()
    written = store.ensure_filled()
    seconds = round(time.perf_counter() - started, 3)
    if written:
        log.info("market store filled", root=str(store.root), symbols=written, seconds=seconds)
    else:
        log.info("market store reused", root=str(store.root), seconds=seconds)
    return written


def load_instruments(store: MarketStore) -> list[Instrument]:
    """Every stored symbol with its history, bundled series first, then the simulated ones."""
    return [Instrument(info, store.frame(info.symbol)) for info in store.symbols()]


def query_bars(
    store: MarketStore,
    instrument: Instrument,
    *,
    start: date | None,
    end: date | None,
    before: date | None,
    limit: int,
) -> list[Bar]:
    """The last `limit` bars of `instrument` dated in [start, end] (both inclusive) and strictly
    before `before` (the replay's current day; `None` once the replay has finished)."""
    # Clamped to the stored range, so far-off dates (year 1, 9999) never reach pandas or DuckDB.
    first, last = instrument.first_date, instrument.last_date
    if before is not None:
        last = min(last, before - timedelta(days=1))
    start = first if start is None else max(start, first)
    end = last if end is None else min(end, last)
    if start > end:
        return []
    if instrument.stored:
        frame = store.frame(instrument.symbol, start, end).tail(limit)
    else:
        history = instrument.history
        frame = history[
            (history.index >= pd.Timestamp(start)) & (history.index < pd.Timestamp(end) + ONE_DAY)
        ].tail(limit)
    return bars_from_frame(instrument.symbol, frame, instrument.info.frequency)
