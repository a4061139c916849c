"""Bars, ticks and quotes as exact (Decimal) values, and the one float → Decimal boundary.

The float DataFrames of `keel.market.datasets` (columns Open, High, Low, Close, Volume indexed by a
tz-naive ``Date``) are what numeric work uses; `Bar` / `Tick` / `Quote` are what the domain, the
engine and the API see. Conversion happens here, through `keel.domain.money.to_price`.

Time convention: every `time` is timezone-aware UTC. A daily bar is stamped with its session open
(09:30 America/New_York on its date) and spans the regular session to 16:00; an hourly bar is stamped
with the start of its hour (the bundled hourly data are taken as UTC) and spans one hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from keel.domain.money import to_price
from keel.domain.quotes import Quote

__all__ = [
    "SESSION_CLOSE",
    "SESSION_OPEN",
    "SESSION_TZ",
    "Bar",
    "Quote",
    "Tick",
    "bar_from_row",
    "bar_spans_ns",
    "bars_from_frame",
    "bars_to_frame",
    "session_bounds",
    "to_volume",
    "utc_from_ns",
]

SESSION_TZ = ZoneInfo("America/New_York")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)
_VOLUME_PLACES = Decimal("0.000001")


def to_volume(value: object) -> Decimal:
    """A traded volume (shares, contracts or lots) as a Decimal, rounded down to 6 places."""
    return Decimal(repr(float(value))).quantize(_VOLUME_PLACES, rounding=ROUND_DOWN)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Bar:
    """One OHLCV bar: prices in the instrument's currency per unit, volume in units traded."""

    symbol: str
    time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            raise ValueError(f"{self.symbol} bar time must be timezone-aware")
        if not self.low <= min(self.open, self.close) <= max(self.open, self.close) <= self.high:
            raise ValueError(
                f"{self.symbol} bar at {self.time:%Y-%m-%d %H:%M} breaks low <= open, close <= high"
            )


@dataclass(frozen=True, slots=True)
class Tick:
    """One synthesised trade print: `price` per unit at `time` (UTC)."""

    symbol: str
    time: datetime
    price: Decimal


def session_bounds(day: date) -> tuple[datetime, datetime]:
    """Regular session (09:30–16:00 America/New_York) of `day`, as UTC datetimes."""
    start = datetime.combine(day, SESSION_OPEN, tzinfo=SESSION_TZ).astimezone(UTC)
    end = datetime.combine(day, SESSION_CLOSE, tzinfo=SESSION_TZ).astimezone(UTC)
    return start, end


def bar_spans_ns(index: pd.DatetimeIndex, frequency: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each bar as int64 UTC nanoseconds, vectorised.

    `frequency` is ``"1d"`` (regular New York session of each date) or an hourly / minute pandas
    offset such as ``"1h"`` (the label is the start, taken as UTC).
    """
    if frequency == "1d":
        days = pd.DatetimeIndex(index).normalize()
        opens = (days + pd.Timedelta(hours=9, minutes=30)).tz_localize(SESSION_TZ)
        closes = (days + pd.Timedelta(hours=16)).tz_localize(SESSION_TZ)
        opens, closes = opens.tz_convert("UTC"), closes.tz_convert("UTC")
        return _ns(opens), _ns(closes)
    step = pd.Timedelta(frequency)
    starts = pd.DatetimeIndex(index).tz_localize("UTC")
    return _ns(starts), _ns(starts + step)


def _ns(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(index.as_unit("ns").asi8, dtype=np.int64)


def utc_from_ns(nanoseconds: int) -> datetime:
    """UTC datetime of int64 nanoseconds since the epoch (microsecond precision)."""
    return _EPOCH + timedelta(microseconds=nanoseconds // 1000)


def bar_from_row(symbol: str, start_ns: int, row: tuple[float, ...]) -> Bar:
    """One `Bar` from a start time (UTC ns) and an (open, high, low, close, volume) float row."""
    open_, high, low, close, volume = row
    return Bar(
        symbol=symbol,
        time=utc_from_ns(int(start_ns)),
        open=to_price(open_),
        high=to_price(high),
        low=to_price(low),
        close=to_price(close),
        volume=to_volume(volume),
    )


def bars_from_frame(symbol: str, frame: pd.DataFrame, frequency: str = "1d") -> list[Bar]:
    """Convert a normalised OHLCV float frame into `Bar`s (Decimal prices on the price grid)."""
    starts, _ = bar_spans_ns(pd.DatetimeIndex(frame.index), frequency)
    values = frame[["Open", "High", "Low", "Close", "Volume"]].to_numpy(dtype=float)
    return [
        bar_from_row(symbol, int(start), tuple(float(v) for v in row))
        for start, row in zip(starts, values, strict=True)
    ]


def bars_to_frame(bars: list[Bar]) -> pd.DataFrame:
    """The inverse of `bars_from_frame` for daily bars: a float frame indexed by session date."""
    dates = [bar.time.astimezone(SESSION_TZ).date() for bar in bars]
    frame = pd.DataFrame(
        {
            "Open": [float(b.open) for b in bars],
            "High": [float(b.high) for b in bars],
            "Low": [float(b.low) for b in bars],
            "Close": [float(b.close) for b in bars],
            "Volume": [float(b.volume) for b in bars],
        },
        index=pd.DatetimeIndex(pd.to_datetime(dates), name="Date"),
    )
    return frame
