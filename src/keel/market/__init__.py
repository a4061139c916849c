"""Market data: bars and ticks, bundled real history, tick synthesis, simulated tickers, replay.

Pure: no wall clock, no network, no server imports. Floats live in the DataFrames used for numeric
work; `Bar`, `Tick` and `Quote` carry Decimal prices (converted once, in `keel.market.bars`).
"""

from keel.market.bars import (
    Bar,
    Quote,
    Tick,
    bar_spans_ns,
    bars_from_frame,
    bars_to_frame,
    session_bounds,
)
from keel.market.calendar import next_trading_days, trading_days
from keel.market.datasets import (
    DatasetInfo,
    UnknownDataset,
    bundled_symbols,
    dataset_info,
    load_bundled,
    load_file,
    ohlc_violations,
)
from keel.market.replay import ReplayClock, ReplayFeed, ReplayPosition, ReplayUpdate
from keel.market.simulator import (
    CALIBRATED,
    CLASSROOM,
    FictionalTicker,
    RegimeGarchParams,
    calibrate,
    calibrated,
    continue_series,
    extend_history,
    simulate_bars,
    simulate_ticker,
)
from keel.market.store import MarketStore, SymbolInfo
from keel.market.ticks import (
    QuoteBlock,
    TickBlock,
    bridge_paths,
    quote_block,
    synthesize_quotes,
    synthesize_ticks,
)

__all__ = [
    "CALIBRATED",
    "CLASSROOM",
    "Bar",
    "DatasetInfo",
    "FictionalTicker",
    "MarketStore",
    "Quote",
    "QuoteBlock",
    "RegimeGarchParams",
    "ReplayClock",
    "ReplayFeed",
    "ReplayPosition",
    "ReplayUpdate",
    "SymbolInfo",
    "Tick",
    "TickBlock",
    "UnknownDataset",
    "bar_spans_ns",
    "bars_from_frame",
    "bars_to_frame",
    "bridge_paths",
    "bundled_symbols",
    "calibrate",
    "calibrated",
    "continue_series",
    "dataset_info",
    "extend_history",
    "load_bundled",
    "load_file",
    "next_trading_days",
    "ohlc_violations",
    "quote_block",
    "session_bounds",
    "simulate_bars",
    "simulate_ticker",
    "synthesize_quotes",
    "synthesize_ticks",
    "trading_days",
]
