"""History store: one Parquet file per symbol under a root directory, queried through DuckDB views.

Layout under `root` (the server passes ``./var/market``)::

    bars/<SYMBOL>.parquet   symbol, date, open, high, low, close, volume (floats; date tz-naive)
    symbols.parquet         one row of metadata per symbol
    VERSION                 store format and simulator seed; a mismatch refills everything

`ensure_filled()` writes the bundled real history and the simulated classroom tickers on first use.
Files are written to a temporary name and renamed, so a reader in another process never sees half a
file. Prices leave the store as floats (`frame`) or as exact `Bar`s (`bars`).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from keel.market.bars import Bar, bars_from_frame
from keel.market.datasets import BUNDLED, UnknownDataset, load_bundled
from keel.market.simulator import CLASSROOM, FictionalTicker, simulate_ticker

__all__ = ["STORE_FORMAT", "MarketStore", "SymbolInfo"]

STORE_FORMAT = 1
_CALENDAR_SYMBOL = "SPX"
_COLUMNS = ["open", "high", "low", "close", "volume"]


@dataclass(frozen=True)
class SymbolInfo:
    """What the store holds for one symbol. `first` / `last` are bar labels (tz-naive)."""

    symbol: str
    name: str
    asset_class: str
    frequency: str
    tradable: bool
    simulated: bool
    source: str
    first: datetime
    last: datetime
    rows: int


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_parquet(frame: pd.DataFrame, target: Path) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    frame.to_parquet(partial, index=False)
    os.replace(partial, target)


class MarketStore:
    """DuckDB + Parquet history rooted at `root`; safe to share between threads."""

    def __init__(
        self,
        root: str | Path,
        *,
        seed: int = 7,
        classroom: tuple[FictionalTicker, ...] = CLASSROOM,
    ) -> None:
        self.root = Path(root)
        self.seed = seed
        self.classroom = classroom
        self._lock = threading.Lock()
        self._connection = duckdb.connect(":memory:")
        self._registered = False

    @property
    def _version_text(self) -> str:
        return f"format={STORE_FORMAT} seed={self.seed}\n"

    def ensure_filled(self) -> list[str]:
        """Write every missing symbol (all of them if the format or seed changed); return those written."""
        bars_dir = self.root / "bars"
        bars_dir.mkdir(parents=True, exist_ok=True)
        version = self.root / "VERSION"
        stale = not version.exists() or version.read_text() != self._version_text
        written: list[str] = []
        meta_rows: list[dict[str, object]] = []
        calendar: pd.DatetimeIndex | None = None
        for symbol, (info, _) in BUNDLED.items():
            meta_rows.append(
                {
                    "symbol": symbol,
                    "name": info.name,
                    "asset_class": info.asset_class,
                    "frequency": info.frequency,
                    "tradable": info.tradable,
                    "simulated": False,
                    "source": info.source,
                }
            )
            if stale or not (bars_dir / f"{symbol}.parquet").exists():
                self._write_symbol(symbol, load_bundled(symbol))
                written.append(symbol)
        for ticker in self.classroom:
            meta_rows.append(
                {
                    "symbol": ticker.symbol,
                    "name": ticker.name,
                    "asset_class": "equity",
                    "frequency": "1d",
                    "tradable": True,
                    "simulated": True,
                    "source": f"simulated, calibrated on {ticker.source}",
                }
            )
            if stale or not (bars_dir / f"{ticker.symbol}.parquet").exists():
                if calendar is None:
                    calendar = pd.DatetimeIndex(load_bundled(_CALENDAR_SYMBOL).index)
                self._write_symbol(ticker.symbol, simulate_ticker(ticker, calendar, self.seed))
                written.append(ticker.symbol)
        meta_path = self.root / "symbols.parquet"
        if written or not meta_path.exists():
            _write_parquet(pd.DataFrame(meta_rows), meta_path)
        if stale:
            version.write_text(self._version_text)
        self._register()
        return written

    def _write_symbol(self, symbol: str, frame: pd.DataFrame) -> None:
        table = pd.DataFrame(
            {
                "symbol": symbol,
                "date": pd.DatetimeIndex(frame.index).as_unit("us"),
                **{c: frame[c.capitalize()].to_numpy(dtype=float) for c in _COLUMNS},
            }
        )
        _write_parquet(table, self.root / "bars" / f"{symbol}.parquet")

    def _register(self) -> None:
        bars_glob = _sql_path(self.root / "bars" / "*.parquet")
        meta = _sql_path(self.root / "symbols.parquet")
        with self._lock:
            # Paths of the store's own folder, quoted by _sql_path (DuckDB takes no parameters in DDL).
            self._connection.execute(  # nosemgrep: keel-sql-from-strings
                f"CREATE OR REPLACE VIEW bars AS SELECT * FROM read_parquet('{bars_glob}')"  # nosec B608
            )
            self._connection.execute(  # nosemgrep: keel-sql-from-strings
                f"CREATE OR REPLACE VIEW symbols AS SELECT * FROM read_parquet('{meta}')"  # nosec B608
            )
            self._registered = True

    def _query(self, sql: str, parameters: list[object]) -> pd.DataFrame:
        if not self._registered:
            self.ensure_filled()
        with self._lock:
            cursor = self._connection.cursor()
        try:
            return cursor.execute(sql, parameters).df()
        finally:
            cursor.close()

    def symbols(self) -> list[SymbolInfo]:
        """Every stored symbol with its metadata, bundled first, then simulated, by symbol."""
        rows = self._query(
            """
            SELECT s.symbol, s.name, s.asset_class, s.frequency, s.tradable, s.simulated,
                   s.source, min(b.date) AS first, max(b.date) AS last, count(*) AS rows
            FROM symbols s JOIN bars b ON b.symbol = s.symbol
            GROUP BY ALL ORDER BY s.simulated, s.symbol
            """,
            [],
        )
        return [
            SymbolInfo(
                symbol=str(r["symbol"]),
                name=str(r["name"]),
                asset_class=str(r["asset_class"]),
                frequency=str(r["frequency"]),
                tradable=bool(r["tradable"]),
                simulated=bool(r["simulated"]),
                source=str(r["source"]),
                first=pd.Timestamp(r["first"]).to_pydatetime(),
                last=pd.Timestamp(r["last"]).to_pydatetime(),
                rows=int(r["rows"]),
            )
            for r in rows.to_dict(orient="records")
        ]

    def info(self, symbol: str) -> SymbolInfo:
        """Metadata of one symbol; raises `UnknownDataset` when the store lacks it."""
        for item in self.symbols():
            if item.symbol == symbol.upper():
                return item
        raise UnknownDataset(f"no stored history for {symbol!r}")

    def frame(
        self,
        symbol: str,
        start: date | datetime | None = None,
        end: date | datetime | None = None,
    ) -> pd.DataFrame:
        """Float OHLCV bars of `symbol` with labels in [start, end] (both inclusive; a plain
        `date` as `end` includes that whole day), in the `keel.market.datasets` shape."""
        symbol = symbol.upper()
        lower = pd.Timestamp(start).to_pydatetime() if start is not None else datetime.min
        if end is None:
            upper_sql, upper = "TRUE", None
        elif isinstance(end, datetime):
            upper_sql, upper = "date <= ?", pd.Timestamp(end)
        else:
            upper_sql, upper = "date < ?", pd.Timestamp(end + timedelta(days=1))
        parameters: list[object] = [symbol, lower]
        if upper is not None:
            parameters.append(upper.to_pydatetime())
        rows = self._query(
            # Values are parameters; upper_sql is one of two constants.
            f"SELECT date, open, high, low, close, volume FROM bars "  # nosec B608
            f"WHERE symbol = ? AND date >= ? AND {upper_sql} ORDER BY date",
            parameters,
        )
        if rows.empty and symbol not in {s.symbol for s in self.symbols()}:
            raise UnknownDataset(f"no stored history for {symbol!r}")
        frame = rows.set_index(pd.DatetimeIndex(rows.pop("date"), name="Date"))
        return frame.rename(columns={c: c.capitalize() for c in _COLUMNS})

    def bars(
        self,
        symbol: str,
        start: date | datetime | None = None,
        end: date | datetime | None = None,
    ) -> list[Bar]:
        """Exact `Bar`s of `symbol` in [start, end] (inclusive), oldest first."""
        frame = self.frame(symbol, start, end)
        return bars_from_frame(symbol.upper(), frame, self.info(symbol).frequency)

    def close(self) -> None:
        """Release the DuckDB connection."""
        with self._lock:
            self._connection.close()
