"""What a backtest job does in its worker thread: load the history, run the core, render results.

Blocking and CPU-bound; the job runner calls `execute` through a thread pool so the event loop is
never blocked. Progress goes to a callback as a fraction 0 … 1; the callback may raise
`JobCancelled` to stop the run at the next checkpoint.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from keel.backtest.export import result_to_dict
from keel.backtest.report import render_html
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings, FillTiming, Sizing
from keel.backtest.strategies import BUILTIN
from keel.market.datasets import load_bundled, load_file

MIN_BARS = 2
LOAD_SHARE, RUN_SHARE = 0.05, 0.85
"""Progress at the end of loading, and the share of the bar loop (rendering takes the rest)."""


class JobCancelled(Exception):
    """The job was cancelled while it ran."""


class JobFailed(Exception):
    """The job cannot run as asked (a message meant for the user)."""


@lru_cache(maxsize=8)
def bundled_history(symbol: str) -> pd.DataFrame:
    """A bundled history, loaded once per process (callers must not modify it)."""
    return load_bundled(symbol)


def in_range(frame: pd.DataFrame, start: date | None, end: date | None) -> pd.DataFrame:
    """The bars between `start` and `end`, both inclusive (either may be open)."""
    if start is not None:
        frame = frame.loc[pd.Timestamp(start) :]
    if end is not None:
        # Inclusive of every bar on `end` (hourly bars too).
        frame = frame.loc[: pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)]
    return frame


MAX_DATASET_ROWS = 100_000
"""Rows an uploaded dataset may have (the longest bundled history has about 5,000 bars)."""
MAX_DATASET_DECODED_BYTES = 64 * 1024 * 1024
"""What an uploaded Parquet file may expand to: a 27 KiB file of 10 million repeated rows took 8 s
to parse and gigabytes of memory before any check on its size."""


def _too_big(path: Path, data: bytes) -> str | None:
    """Why the file is refused before it is decoded (rows or expanded size), or None. Parquet
    files declare both in their footer; a CSV's rows are its lines."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            metadata = pq.ParquetFile(path).metadata
        except Exception:
            return None  # not Parquet: load_file says why
        rows = metadata.num_rows
        decoded = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
        if decoded > MAX_DATASET_DECODED_BYTES:
            return f"it expands to {decoded:,} bytes; at most {MAX_DATASET_DECODED_BYTES:,}"
    else:
        rows = data.count(b"\n")
    if rows > MAX_DATASET_ROWS:
        return f"it has {rows:,} rows; at most {MAX_DATASET_ROWS:,} are accepted"
    return None


def load_dataset_bytes(data: bytes, name: str) -> pd.DataFrame:
    """Parse an uploaded CSV or Parquet file into a normalised OHLCV frame; files with too many
    rows, or that would expand too far, are refused before they are decoded."""
    suffix = ".parquet" if name.lower().endswith(".parquet") else ".csv"
    with tempfile.TemporaryDirectory(prefix="keel-dataset-") as folder:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data)
        if (reason := _too_big(path, data)) is not None:
            raise JobFailed(f"dataset {name!r} is too big: {reason}")
        try:
            return load_file(path)
        except MemoryError:
            raise
        except Exception as exc:
            if "out of memory" in str(exc):  # pandas' C parser says so in a ParserError
                raise MemoryError(str(exc)) from exc
            raise JobFailed(f"dataset {name!r} cannot be read as OHLCV: {exc}") from exc


@dataclass(frozen=True)
class JobSpec:
    """A validated request, in the core's terms (cash as a float inside analytics)."""

    strategy: str
    params: dict[str, float]
    settings: ExecutionSettings
    symbol: str | None
    dataset: str | None
    start: date | None
    end: date | None

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> JobSpec:
        """Rebuild from the JSON stored on the job row."""
        settings = ExecutionSettings(
            cash=float(request["cash"]),
            commission=float(request["commission"]),
            spread=float(request["spread"]),
            slippage=float(request["slippage"]),
            fill=FillTiming(request["fill"]),
            sizing=Sizing(request["sizing"]),
            fraction=float(request["fraction"]),
            units=float(request["units"]),
            target_vol=float(request["target_vol"]),
            long_short=bool(request["long_short"]),
            breakers=bool(request["breakers"]),
            close_at_end=bool(request["close_at_end"]),
        )
        return cls(
            strategy=request["strategy"],
            params={key: float(value) for key, value in request["params"].items()},
            settings=settings,
            symbol=request.get("symbol"),
            dataset=request.get("dataset"),
            start=date.fromisoformat(request["from"]) if request.get("from") else None,
            end=date.fromisoformat(request["to"]) if request.get("to") else None,
        )


@dataclass(frozen=True)
class JobOutput:
    stats: dict[str, Any]
    trade_count: int
    result_json: bytes
    report_html: bytes


def execute(
    spec: JobSpec, dataset_bytes: bytes | None, progress: Callable[[float], None]
) -> JobOutput:
    """Run the backtest of `spec`; `dataset_bytes` holds the uploaded file when `spec.dataset`."""
    if spec.dataset is not None:
        if dataset_bytes is None:
            raise JobFailed(f"dataset {spec.dataset!r} no longer exists")
        frame = load_dataset_bytes(dataset_bytes, spec.dataset)
        label = spec.dataset
    else:
        assert spec.symbol is not None
        frame = bundled_history(spec.symbol).copy()  # the cached frame is shared by threads
        label = spec.symbol
    frame = in_range(frame, spec.start, spec.end)
    if len(frame) < MIN_BARS:
        raise JobFailed(
            f"{label} has {len(frame)} bar(s) between {spec.start or 'its start'} and "
            f"{spec.end or 'its end'}; a backtest needs at least {MIN_BARS}"
        )
    progress(LOAD_SHARE)

    def on_bars(done: int, total: int) -> None:
        progress(LOAD_SHARE + RUN_SHARE * done / max(total, 1))

    try:
        result = run_backtest(
            frame, BUILTIN[spec.strategy], spec.params, spec.settings, progress=on_bars
        )
    except (JobCancelled, MemoryError):
        raise
    except Exception as exc:
        raise JobFailed(f"the backtest stopped: {type(exc).__name__}: {exc}") from exc
    document = result_to_dict(result)
    progress(LOAD_SHARE + RUN_SHARE)
    title = f"{result.strategy} on {label}"
    report = render_html(result, title=title)
    return JobOutput(
        stats=document["stats"],
        trade_count=len(document["trades"]),
        result_json=json.dumps(document, allow_nan=False).encode("utf-8"),
        report_html=report.encode("utf-8"),
    )
