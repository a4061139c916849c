"""Causal indicators over whole arrays: the value at bar t uses bars 0..t only.

Each takes and returns float64 numpy arrays (NaN while warming up), computed with pandas' rolling
and exponential windows, so they equal backtesting.py's `SMA` to the bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def sma(values: np.ndarray, window: float) -> np.ndarray:
    """Simple moving average over `window` bars."""
    return pd.Series(values).rolling(int(window)).mean().to_numpy()


def rolling_std(values: np.ndarray, window: float) -> np.ndarray:
    """Rolling sample standard deviation over `window` bars."""
    return pd.Series(values).rolling(int(window)).std(ddof=0).to_numpy()


def rate_of_change(values: np.ndarray, lookback: float) -> np.ndarray:
    """Return over the last `lookback` bars, as a fraction."""
    shifted = np.full_like(values, np.nan)
    lookback = int(lookback)
    shifted[lookback:] = values[:-lookback]
    return values / shifted - 1


def rsi(values: np.ndarray, window: float) -> np.ndarray:
    """Wilder's relative strength index (0–100) over `window` bars."""
    delta = pd.Series(values).diff()
    gain = delta.clip(lower=0).ewm(alpha=1 / int(window), adjust=False).mean()
    loss = (-delta).clip(lower=0).ewm(alpha=1 / int(window), adjust=False).mean()
    out = (100 - 100 / (1 + gain / loss)).to_numpy(copy=True)
    out[: int(window)] = np.nan
    return out


def crossed_above(first: np.ndarray, second: np.ndarray | float) -> np.ndarray:
    """True on bars where `first` moves from below `second` to above it (backtesting's crossover)."""
    other = np.broadcast_to(np.asarray(second, dtype=float), first.shape)
    out = np.zeros(len(first), dtype=bool)
    with np.errstate(invalid="ignore"):
        out[1:] = (first[:-1] < other[:-1]) & (first[1:] > other[1:])
    return out


def events(length: int, **targets: np.ndarray) -> np.ndarray:
    """Per-bar decisions: NaN everywhere except where a mask of `long`, `flat` or `short` is True."""
    out = np.full(length, np.nan)
    for name, value in (("flat", 0.0), ("long", 1.0), ("short", -1.0)):
        mask = targets.get(name)
        if mask is not None:
            out[mask] = value
    return out
