"""Real market history bundled inside installed packages (no network).

Every loader returns a `pandas.DataFrame` indexed by a tz-naive `DatetimeIndex` named ``Date`` with
float columns ``Open, High, Low, Close, Volume`` (prices in the instrument's currency, volume in
shares or contracts), sorted ascending with no duplicate timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

OHLCV = ["Open", "High", "Low", "Close", "Volume"]


@dataclass(frozen=True)
class DatasetInfo:
    symbol: str
    name: str
    source: str
    frequency: str  # "1d" or "1h"
    tradable: bool
    asset_class: str  # "index", "equity", "fx"


def _arch(name: str) -> pd.DataFrame:
    import importlib

    module = importlib.import_module(f"arch.data.{name}")
    frame: pd.DataFrame = module.load()
    return frame


def _load_sp500() -> pd.DataFrame:
    return _arch("sp500")[OHLCV]


def _load_nasdaq() -> pd.DataFrame:
    return _arch("nasdaq")[OHLCV]


def _load_vix() -> pd.DataFrame:
    # The VIX file has a single level column; a level series is its own OHLC, with no volume.
    level = _arch("vix")["vix"].astype(float)
    return pd.DataFrame({"Open": level, "High": level, "Low": level, "Close": level, "Volume": 0.0})


def _load_backtesting(name: str) -> pd.DataFrame:
    import backtesting.test as bt_test

    frame: pd.DataFrame = getattr(bt_test, name).copy()
    return frame[OHLCV]


BUNDLED: dict[str, tuple[DatasetInfo, Callable[[], pd.DataFrame]]] = {
    "SPX": (
        DatasetInfo("SPX", "S&P 500 index", "arch.data.sp500", "1d", True, "index"),
        _load_sp500,
    ),
    "IXIC": (
        DatasetInfo("IXIC", "NASDAQ Composite index", "arch.data.nasdaq", "1d", True, "index"),
        _load_nasdaq,
    ),
    "GOOG": (
        DatasetInfo("GOOG", "Alphabet Inc.", "backtesting.test.GOOG", "1d", True, "equity"),
        lambda: _load_backtesting("GOOG"),
    ),
    "EURUSD": (
        DatasetInfo("EURUSD", "Euro / US dollar", "backtesting.test.EURUSD", "1h", True, "fx"),
        lambda: _load_backtesting("EURUSD"),
    ),
    "VIX": (
        DatasetInfo("VIX", "CBOE volatility index", "arch.data.vix", "1d", False, "index"),
        _load_vix,
    ),
}


class UnknownDataset(KeyError):
    """No bundled history exists for the requested symbol."""


def bundled_symbols() -> list[str]:
    return list(BUNDLED)


def dataset_info(symbol: str) -> DatasetInfo:
    try:
        return BUNDLED[symbol.upper()][0]
    except KeyError as exc:
        raise UnknownDataset(
            f"no bundled history for {symbol!r}; choose one of {', '.join(BUNDLED)}"
        ) from exc


def load_bundled(symbol: str) -> pd.DataFrame:
    """Load the bundled daily (or hourly) OHLCV history of `symbol`, normalised."""
    dataset_info(symbol)
    frame = normalise(BUNDLED[symbol.upper()][1]())
    prices = ["Open", "High", "Low", "Close"]
    frame[prices] = snap_float32_cents(frame[prices].to_numpy(dtype=float))
    return frame


_FLOAT32_CENT_LIMIT = 2.0**16


def snap_float32_cents(values: np.ndarray) -> np.ndarray:
    """Undo float32 storage noise: 1248.810059 becomes 1248.81 when that is the same float32.

    Some bundled series went through float32. Below 2**16 a float32 step is under half a cent, so
    two different cent prices never share a float32: a value whose float32 equals that of a whole
    number of cents was that price. Other values are returned unchanged.
    """
    single = values.astype(np.float32)
    cents = np.round(single.astype(np.float64), 2)
    exact = (np.abs(values) < _FLOAT32_CENT_LIMIT) & (cents.astype(np.float32) == single)
    return np.where(exact, cents, values)


def load_file(path: str | Path) -> pd.DataFrame:
    """Load user OHLCV data from CSV or Parquet (columns Date, Open, High, Low, Close[, Volume])."""
    path = Path(path)
    frame = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)
    columns = {c.lower(): c for c in frame.columns}
    date_col = columns.get("date") or columns.get("datetime") or columns.get("time")
    if date_col is not None:
        frame = frame.set_index(pd.to_datetime(frame[date_col])).drop(columns=[date_col])
    frame = frame.rename(columns={c: c.capitalize() for c in frame.columns})
    missing = [c for c in ("Open", "High", "Low", "Close") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path} lacks the column(s) {', '.join(missing)}")
    if "Volume" not in frame.columns:
        frame["Volume"] = 0.0
    return normalise(frame[OHLCV])


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort, drop duplicate timestamps and NaN rows, make the index tz-naive and named Date."""
    frame = frame.astype(float)
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    frame.index = index.rename("Date")
    frame = frame[~frame.index.duplicated(keep="first")].sort_index()
    return frame.dropna(subset=["Open", "High", "Low", "Close"])


def ohlc_violations(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose high is below max(open, close) or whose low is above min(open, close)."""
    top = frame[["Open", "Close"]].max(axis=1)
    bottom = frame[["Open", "Close"]].min(axis=1)
    bad = (frame["High"] < top) | (frame["Low"] > bottom) | (frame["Low"] <= 0)
    return frame[bad]
