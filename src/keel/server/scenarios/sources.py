"""Where a scenario's prices come from (`ScenarioRow.source`).

- `replay`: bundled real history from the start date (the shared store's instruments).
- `simulator`: the fictional classroom tickers only (`keel.market.simulator.CLASSROOM`), simulated
  from the scenario's own seed on the trading days of the bundled history: a market nobody can
  look up, the same in every process (and again, given the same seed).
- `upload`: daily OHLCV files the admin uploaded (`PUT /api/v1/backtests/datasets/{name}`), one
  symbol each, named after its file (`crash.csv` → `CRASH`). They are checked and copied when the
  scenario is created, to the object store under `scenarios/<id>/`, so a later upload under the same
  name never changes a running market; every process that runs or mirrors the scenario reads them
  from there (processes must share the object store, as backtests of uploads already need).

A scenario's series that are not in the shared store (simulated or uploaded) are `Instrument`s with
`stored=False`: their bars are cut from the series in memory.
"""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd

from keel.market.simulator import CLASSROOM, simulate_ticker
from keel.market.store import SymbolInfo
from keel.server.backtests.jobs import dataset_key
from keel.server.backtests.work import JobFailed, load_dataset_bytes
from keel.server.errors import ProblemError
from keel.server.market.history import REPLAYED_FREQUENCY, Instrument
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime
from keel.server.scenarios.models import ScenarioRow

REPLAY, SIMULATOR, UPLOAD = "replay", "simulator", "upload"
SOURCES = (REPLAY, SIMULATOR, UPLOAD)
CALENDAR_SYMBOL = "SPX"
"""The simulator's trading days are those of this bundled series."""
MAX_DATASETS = 20
MIN_BARS = 40
"""Days of prices an uploaded file needs (a market runs at least 20 trading days from its start)."""
_SYMBOL = re.compile(r"[^A-Z0-9]")


def scenario_object_key(scenario_id: str, symbol: str) -> str:
    """Where a scenario's copy of an uploaded series lives in the object store."""
    return f"scenarios/{scenario_id}/{symbol}.parquet"


def _instrument(
    symbol: str, name: str, source: str, frame: pd.DataFrame, simulated: bool
) -> Instrument:
    info = SymbolInfo(
        symbol=symbol,
        name=name,
        asset_class="equity",
        frequency=REPLAYED_FREQUENCY,
        tradable=True,
        simulated=simulated,
        source=source,
        first=pd.Timestamp(frame.index[0]).to_pydatetime(),
        last=pd.Timestamp(frame.index[-1]).to_pydatetime(),
        rows=len(frame),
    )
    return Instrument(info, frame, stored=False)


@lru_cache(maxsize=16)
def _simulated(seed: int, calendar: tuple[pd.Timestamp, ...]) -> tuple[Instrument, ...]:
    dates = pd.DatetimeIndex(calendar)
    return tuple(
        _instrument(
            ticker.symbol,
            ticker.name,
            f"simulated from seed {seed}, calibrated on {ticker.source}",
            simulate_ticker(ticker, dates, seed),
            simulated=True,
        )
        for ticker in CLASSROOM
    )


def simulated_instruments(seed: int, bundled: Sequence[Instrument]) -> list[Instrument]:
    """The classroom tickers simulated from `seed` (CPU: call off the event loop)."""
    calendar = next(item for item in bundled if item.symbol == CALENDAR_SYMBOL).history.index
    return list(_simulated(seed, tuple(calendar)))


def uploaded_instrument(scenario_id: str, symbol: str, frame: pd.DataFrame) -> Instrument:
    return _instrument(
        symbol,
        f"{symbol} (uploaded history)",
        f"uploaded for scenario {scenario_id}",
        frame,
        simulated=False,
    )


async def scenario_instruments(
    runtime: Runtime, row: ScenarioRow, bundled: Sequence[Instrument]
) -> list[Instrument]:
    """The instruments scenario `row` replays, its universe only."""
    if row.source == SIMULATOR:
        seed = runtime.settings.replay_seed if row.seed is None else row.seed
        items = await asyncio.to_thread(simulated_instruments, seed, bundled)
    elif row.source == UPLOAD:
        store = get_object_store(runtime)
        items = []
        for symbol in row.universe or []:
            data = await store.get(scenario_object_key(row.id, symbol))
            frame = await asyncio.to_thread(pd.read_parquet, io.BytesIO(data))
            items.append(uploaded_instrument(row.id, symbol, frame))
    else:
        items = list(bundled)
    if row.universe is not None:
        wanted = set(row.universe)
        items = [item for item in items if item.symbol in wanted]
    return items


def _bad_dataset(name: str, what: str, **figures: object) -> ProblemError:
    return ProblemError(
        422,
        "invalid-dataset",
        f"The file {name} cannot be used as a market: {what}",
        figures={"dataset": name, **figures},
    )


def symbol_of(name: str) -> str:
    """The symbol an uploaded file trades under: its name without the extension, in capitals,
    letters and digits only (`dot-com_2001.csv` → `DOTCOM2001`), at most 12 characters."""
    return _SYMBOL.sub("", name.rsplit(".", 1)[0].upper())[:12]


async def read_uploads(
    runtime: Runtime, owner_id: str, names: Sequence[str], taken: Mapping[str, Instrument]
) -> dict[str, pd.DataFrame]:
    """The admin's uploaded files `names` as daily series by symbol, checked (422 with what to
    change): each exists, reads as OHLCV, has one bar a day, and its symbol is new."""
    if not names:
        raise ProblemError(
            422,
            "invalid-dataset",
            "A market of uploaded history needs at least one of your uploaded files in `datasets`.",
        )
    if len(names) > MAX_DATASETS:
        raise ProblemError(
            422,
            "invalid-dataset",
            f"A market can replay at most {MAX_DATASETS} uploaded files.",
            figures={"most": MAX_DATASETS, "given": len(names)},
        )
    store = get_object_store(runtime)
    frames: dict[str, pd.DataFrame] = {}
    for name in names:
        if not await store.exists(dataset_key(owner_id, name)):
            prefix = dataset_key(owner_id, "")
            yours = sorted(item.key.removeprefix(prefix) for item in await store.list(prefix))
            raise ProblemError(
                422,
                "unknown-dataset",
                f"You have no uploaded file named {name}. Upload it first, or choose one of yours.",
                figures={"dataset": name, "yours": yours},
            )
        data = await store.get(dataset_key(owner_id, name))
        try:
            frame = await asyncio.to_thread(load_dataset_bytes, data, name)
        except JobFailed as error:
            raise _bad_dataset(name, "it does not read as dates with prices.") from error
        symbol = symbol_of(name)
        if not symbol or not symbol[0].isalpha():
            raise _bad_dataset(name, "rename it so that its name starts with a letter.")
        if symbol in taken or symbol in frames:
            raise _bad_dataset(
                name,
                f"the market already has an instrument called {symbol}; rename the file.",
                symbol=symbol,
            )
        days = pd.DatetimeIndex(frame.index).normalize()
        if not days.is_unique:
            raise _bad_dataset(name, "it has more than one price bar on some days; use daily bars.")
        if len(frame) < MIN_BARS:
            raise _bad_dataset(
                name,
                f"it has prices for {len(frame):,} days; a market needs at least {MIN_BARS}.",
                days=len(frame),
                least=MIN_BARS,
            )
        frame.index = days.rename("Date")
        frames[symbol] = frame
    return frames


async def store_uploads(
    runtime: Runtime, scenario_id: str, frames: Mapping[str, pd.DataFrame]
) -> None:
    """Keep the scenario's own copy of each uploaded series (Parquet) in the object store."""
    store = get_object_store(runtime)
    for symbol, frame in frames.items():
        buffer = io.BytesIO()
        await asyncio.to_thread(frame.to_parquet, buffer)
        await store.put(
            scenario_object_key(scenario_id, symbol), buffer.getvalue(), "application/octet-stream"
        )
