"""Ticks inside a bar from a seeded Brownian bridge that honours the bar's open, high, low and close.

For each bar of N ticks: tick 0 is the open and tick N-1 the close; two distinct interior instants
t1 < t2 are drawn, and the path visits the first extreme at t1 and the other at t2 (the high comes
first with probability ``(open - low) / (high - low)``: an open near the high tends to reach the
high first). Between these four anchors the path is a Brownian bridge folded (reflected) into
[low, high], so it never leaves the bar's range yet keeps the bridge's ragged shape. Everything is
vectorised over (bars, ticks); draws come from `keel.market.hashing`, so a bar's ticks depend only on
(seed, symbol, bar start time).

Quotes put a bid/ask spread (in basis points of the tick price) around each tick, with sizes at the
touch derived from the bar's volume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from keel.domain.money import to_price, to_quantity
from keel.domain.quotes import Quote
from keel.market.bars import Tick, bar_spans_ns, utc_from_ns
from keel.market.hashing import bar_keys, uniforms

__all__ = [
    "QuoteBlock",
    "TickBlock",
    "bridge_paths",
    "quote_block",
    "synthesize_quotes",
    "synthesize_ticks",
]

MIN_TICKS_PER_BAR = 4
_STREAM_NOISE, _STREAM_INSTANTS, _STREAM_ORDER, _STREAM_SIZES = 0, 1, 2, 3


def _fold_into(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Reflect `values` at `low` and `high` until they lie inside (a triangle-wave fold)."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    offset = np.mod(values - low, 2.0 * safe)
    folded = low + np.where(offset <= safe, offset, 2.0 * safe - offset)
    return np.where(width > 0, folded, low)


def bridge_paths(
    opens: np.ndarray,
    highs: np.ndarray,
    lows: np.ndarray,
    closes: np.ndarray,
    keys: np.ndarray,
    ticks_per_bar: int,
    roughness: float = 0.75,
) -> np.ndarray:
    """Prices shaped (bars, ticks_per_bar): open first, close last, high and low each touched.

    `roughness` scales the bridge noise: a step's standard deviation is
    ``roughness * (high - low) / sqrt(ticks_per_bar)``.
    """
    n = int(ticks_per_bar)
    if n < MIN_TICKS_PER_BAR:
        raise ValueError(f"need at least {MIN_TICKS_PER_BAR} ticks per bar, got {n}")
    o, h, lo, c = (np.asarray(a, dtype=np.float64)[:, None] for a in (opens, highs, lows, closes))
    bars = o.shape[0]

    instants = uniforms(keys, _STREAM_INSTANTS, 2)
    t_a = 1 + np.floor(instants[:, 0] * (n - 2)).astype(np.int64)
    t_b = 1 + np.floor(instants[:, 1] * (n - 3)).astype(np.int64)
    t_b += t_b >= t_a
    t1, t2 = np.minimum(t_a, t_b), np.maximum(t_a, t_b)

    width = (h - lo)[:, 0]
    p_high_first = np.divide(o[:, 0] - lo[:, 0], width, out=np.full(bars, 0.5), where=width > 0)
    high_first = uniforms(keys, _STREAM_ORDER, 1)[:, 0] < p_high_first
    first = np.where(high_first, h[:, 0], lo[:, 0])
    second = np.where(high_first, lo[:, 0], h[:, 0])

    anchor_at = np.stack([np.zeros(bars, np.int64), t1, t2, np.full(bars, n - 1)], axis=1)
    anchor_value = np.stack([o[:, 0], first, second, c[:, 0]], axis=1)

    steps = ndtri(uniforms(keys, _STREAM_NOISE, n - 1)) * (roughness * (h - lo) / np.sqrt(n))
    walk = np.concatenate([np.zeros((bars, 1)), np.cumsum(steps, axis=1)], axis=1)

    k = np.arange(n)[None, :]
    segment = (k > t1[:, None]).astype(np.int64) + (k > t2[:, None])
    left = np.take_along_axis(anchor_at, segment, axis=1)
    right = np.take_along_axis(anchor_at, segment + 1, axis=1)
    left_value = np.take_along_axis(anchor_value, segment, axis=1)
    right_value = np.take_along_axis(anchor_value, segment + 1, axis=1)
    fraction = (k - left) / (right - left)
    walk_left = np.take_along_axis(walk, left, axis=1)
    walk_right = np.take_along_axis(walk, right, axis=1)
    bridge = walk - walk_left - fraction * (walk_right - walk_left)
    path = _fold_into(left_value + fraction * (right_value - left_value) + bridge, lo, h)

    # Anchors exactly, not up to float error of the interpolation.
    np.put_along_axis(path, anchor_at, anchor_value, axis=1)
    return np.clip(path, lo, h)


@dataclass(frozen=True)
class TickBlock:
    """Ticks of consecutive bars of one symbol: arrays shaped (bars, ticks_per_bar).

    `times_ns` are UTC nanoseconds (first tick at the bar's start, last at its end); `prices` are
    floats in the instrument's currency; `keys` are the bars' random keys (for the quotes' draws).
    """

    symbol: str
    times_ns: np.ndarray
    prices: np.ndarray
    keys: np.ndarray

    @property
    def ticks_per_bar(self) -> int:
        return int(self.prices.shape[1])

    def ticks(self, bar: int, start: int = 0, stop: int | None = None) -> list[Tick]:
        """Ticks `start:stop` of bar row `bar` as exact `Tick`s."""
        return [
            Tick(self.symbol, utc_from_ns(int(t)), to_price(float(p)))
            for t, p in zip(
                self.times_ns[bar, start:stop], self.prices[bar, start:stop], strict=True
            )
        ]


def synthesize_ticks(
    frame: pd.DataFrame,
    symbol: str,
    *,
    ticks_per_bar: int,
    seed: int,
    frequency: str = "1d",
    roughness: float = 0.75,
) -> TickBlock:
    """Ticks for every bar of an OHLCV float frame (rows of `keel.market.datasets` shape)."""
    starts, ends = bar_spans_ns(pd.DatetimeIndex(frame.index), frequency)
    keys = bar_keys(seed, symbol, starts)
    prices = bridge_paths(
        frame["Open"].to_numpy(float),
        frame["High"].to_numpy(float),
        frame["Low"].to_numpy(float),
        frame["Close"].to_numpy(float),
        keys,
        ticks_per_bar,
        roughness,
    )
    share = np.linspace(0.0, 1.0, ticks_per_bar)[None, :]
    times = starts[:, None] + np.round(share * (ends - starts)[:, None]).astype(np.int64)
    return TickBlock(symbol, times, prices, keys)


@dataclass(frozen=True)
class QuoteBlock:
    """Top-of-book quotes around a `TickBlock`: arrays shaped like its prices.

    Prices are floats in the instrument's currency; sizes are whole units at the touch.
    """

    ticks: TickBlock
    bid: np.ndarray
    ask: np.ndarray
    bid_size: np.ndarray
    ask_size: np.ndarray

    def quotes(self, bar: int, start: int = 0, stop: int | None = None) -> list[Quote]:
        """Quotes `start:stop` of bar row `bar` as exact `Quote`s (Decimal on the price grid)."""
        ticks = self.ticks
        rows = range(ticks.ticks_per_bar)[start:stop]
        return [
            Quote(
                symbol=ticks.symbol,
                time=utc_from_ns(int(ticks.times_ns[bar, j])),
                bid=to_price(float(self.bid[bar, j])),
                ask=to_price(float(self.ask[bar, j])),
                last=to_price(float(ticks.prices[bar, j])),
                bid_size=to_quantity(float(self.bid_size[bar, j])),
                ask_size=to_quantity(float(self.ask_size[bar, j])),
            )
            for j in rows
        ]


def quote_block(
    ticks: TickBlock,
    volumes: np.ndarray,
    *,
    spread_bps: float = 2.0,
    touch_share: float = 0.05,
) -> QuoteBlock:
    """Quotes with a full spread of `spread_bps` basis points centred on each tick.

    The size at each side of the touch is ``touch_share`` of the bar's volume per tick, jittered
    by a seeded factor in (0.5, 1.5) and rounded down to whole units (at least 1 when the bar
    traded at all; 0 for a volume-less series such as an index level).
    """
    if spread_bps < 0:
        raise ValueError("the spread cannot be negative")
    half = spread_bps / 20_000.0
    prices = ticks.prices
    n = ticks.ticks_per_bar
    per_tick = np.asarray(volumes, dtype=np.float64)[:, None] * (touch_share / n)
    jitter = 0.5 + uniforms(ticks.keys, _STREAM_SIZES, 2 * n)
    traded = per_tick > 0
    bid_size = np.where(traded, np.maximum(np.floor(per_tick * jitter[:, :n]), 1.0), 0.0)
    ask_size = np.where(traded, np.maximum(np.floor(per_tick * jitter[:, n:]), 1.0), 0.0)
    return QuoteBlock(ticks, prices * (1.0 - half), prices * (1.0 + half), bid_size, ask_size)


def synthesize_quotes(
    frame: pd.DataFrame,
    symbol: str,
    *,
    ticks_per_bar: int,
    seed: int,
    frequency: str = "1d",
    spread_bps: float = 2.0,
    touch_share: float = 0.05,
) -> QuoteBlock:
    """Ticks and their quotes for every bar of an OHLCV float frame, in one call."""
    ticks = synthesize_ticks(
        frame, symbol, ticks_per_bar=ticks_per_bar, seed=seed, frequency=frequency
    )
    volumes = frame["Volume"].to_numpy(float)
    return quote_block(ticks, volumes, spread_bps=spread_bps, touch_share=touch_share)
