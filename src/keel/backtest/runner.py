"""The backtest runner: replays bars on a simulated clock through a broker and the fill rule.

Three loops share every rule of order handling (`OrderExecutor`, `Broker.market`):

- `events`: calls `on_bar` on each bar; fills priced by the `FillRule` (the engine's functions);
- `signals`: for strategies that provide `signals()`, visits only the bars where a decision was
  taken and fills the equity curve between them with numpy (the fast path);
- `engine`: the event loop with `keel.backtest.live.EngineBroker`, which executes every order on
  the live `ExecutionEngine` with a replay clock, order requests, quotes and the order gate.

Tests prove the three give identical fills (the engine loop against the others with
`money_grid` on, the mode the live engine keeps its money in).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.broker import Broker, ClosedTrade, FillRecord
from keel.backtest.execution import OrderExecutor
from keel.backtest.fills import FillRule
from keel.backtest.live import SYMBOL, EngineBroker, bar_times_ns
from keel.backtest.progress import Chunks, ProgressCallback, ProgressMeter, whole
from keel.backtest.regimes import breaker_levels, regime_series
from keel.backtest.settings import ExecutionSettings, FillTiming
from keel.backtest.strategy import Bars, Context, LookAheadError, Strategy
from keel.domain.fills import Fill

LOOPS = ("auto", "events", "signals", "engine")

__all__ = ["LOOPS", "BacktestResult", "ProgressCallback", "run_backtest"]


@dataclass
class BacktestResult:
    """Everything one backtest produced; floats inside, Decimal at the reporting boundary."""

    bars: Bars
    equity: np.ndarray
    trades: list[ClosedTrade]
    start: int
    regimes: np.ndarray
    settings: ExecutionSettings
    strategy: str
    params: dict[str, float]
    open_position: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)
    fills: list[FillRecord] = field(default_factory=list)
    """Every fill, one per order, in order (all loops)."""
    levels: np.ndarray | None = None
    """Per-bar breaker level (`Permission` codes) when breakers are on."""
    engine_fills: list[Fill] = field(default_factory=list)
    """The live engine's own fills (Decimal, with times), from the engine loop only."""
    engine_refusals: list[str] = field(default_factory=list)
    """Why the engine refused orders (its gate, its account), from the engine loop only."""

    def fill_time_ns(self, fill: FillRecord) -> int:
        """When `fill` happened: its bar's open or close, as int64 UTC nanoseconds."""
        opens, closes = bar_times_ns(self.bars)
        return int(closes[fill.bar] if fill.at_close else opens[fill.bar])


def _verify_causal(strategy: Strategy, bars: Bars) -> None:
    """Recompute indicators and signals on truncated history; any change before the cut is look-ahead."""
    cut = (2 * len(bars)) // 3
    if cut < 10:
        return
    probe = type(strategy)(**strategy.p)
    probe.prepare(bars.head(cut))
    pairs: list[tuple[str, np.ndarray | None, np.ndarray | None]] = [
        (f"indicator {name!r}", strategy.indicators[name], probe.indicators.get(name))
        for name in strategy.indicators
    ]
    pairs.append(("signals()", strategy._cached_signals, probe._cached_signals))
    for label, full, truncated in pairs:
        if full is None and truncated is None:
            continue
        if full is None or truncated is None or len(truncated) != cut:
            raise LookAheadError(f"{label} does not have one value per bar")
        if not np.allclose(full[:cut], truncated, rtol=1e-9, atol=0.0, equal_nan=True):
            raise LookAheadError(
                f"{label} of {strategy.name or type(strategy).__name__} uses future bars: "
                f"its values before bar {cut} change when later bars are removed"
            )


def run_backtest(
    data: pd.DataFrame | Bars,
    strategy: type[Strategy] | Strategy,
    params: Mapping[str, float] | None = None,
    settings: ExecutionSettings | None = None,
    *,
    progress: ProgressCallback | None = None,
    regimes: np.ndarray | None = None,
    loop: str = "auto",
) -> BacktestResult:
    """Run one backtest of `strategy` over OHLCV `data`; returns trades, equity and statistics.

    `loop` is "auto" (signal loop when the strategy has `signals()`), "events", "signals" or
    "engine" (every order through the live `ExecutionEngine`; slower, always on the money grid).
    `progress(done, total)` is called in about 1 % steps of the work until done == total (see
    `keel.backtest.progress.ProgressCallback`); an exception it raises stops the run.
    """
    from keel.backtest.metrics import compute_stats

    settings = settings or ExecutionSettings()
    if loop not in LOOPS:
        raise ValueError(f"loop must be one of {', '.join(LOOPS)}, got {loop!r}")
    bars = data if isinstance(data, Bars) else Bars(data)
    if len(bars) < 2:
        raise ValueError("a backtest needs at least two bars")
    instance = strategy if isinstance(strategy, Strategy) else strategy(**dict(params or {}))
    instance.prepare(bars)
    if settings.check_lookahead:
        _verify_causal(instance, bars)
    if loop == "signals" and instance._cached_signals is None:
        raise ValueError(f"{instance.name} has no signals(); use the event loop")
    if loop == "auto":
        loop = "signals" if instance._cached_signals is not None else "events"
    passes = ["breakers", loop] if settings.breakers else [loop]
    meter = ProgressMeter(progress, len(bars), passes)
    if regimes is None:
        regimes = regime_series(bars.close, bars.index)
    levels = caps = None
    if settings.breakers:
        chunks = partial(meter.chunks, "breakers")
        levels, caps = breaker_levels(regimes, bar_times_ns(bars)[1], SYMBOL, chunks)
    on_close = settings.fill is FillTiming.CLOSE
    if loop == "engine":
        broker: Broker = EngineBroker(settings, bars, regimes)
    else:
        broker = Broker(settings.cash, FillRule.from_settings(settings), at_close=on_close)
    executor = OrderExecutor(broker, settings, bars, caps)
    start = 1 + instance.warmup
    chunks = partial(meter.chunks, loop)
    if loop == "signals":
        equity, bust = _signal_loop(instance, bars, broker, executor, settings, start, chunks)
    else:
        equity, bust = _event_loop(instance, bars, broker, executor, settings, start, chunks)
    open_position = broker.position_size()
    if settings.close_at_end and broker.trades and bust is None:
        # Priced as backtesting.py's finalize_trades (the last open under next-open), stamped at
        # the last close: the replay clock never runs backwards.
        last = len(bars) - 1
        broker.at_close = True
        broker.close_all(bars.close[last] if on_close else bars.open[last], last)
        equity[last] = broker.equity_at(bars.close[last])
        open_position = broker.position_size()
    result = BacktestResult(
        bars=bars,
        equity=equity,
        trades=broker.closed,
        start=start,
        regimes=regimes,
        settings=settings,
        strategy=instance.name or type(instance).__name__,
        params=dict(instance.p),
        open_position=open_position,
        fills=broker.fills,
        levels=levels,
        engine_fills=broker.engine_fills if isinstance(broker, EngineBroker) else [],
        engine_refusals=broker.refusals if isinstance(broker, EngineBroker) else [],
    )
    result.stats = compute_stats(result)
    meter.finish()
    return result


def _event_loop(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: OrderExecutor,
    settings: ExecutionSettings,
    start: int,
    chunks: Chunks,
) -> tuple[np.ndarray, int | None]:
    length = len(bars)
    replay = broker if isinstance(broker, EngineBroker) else None
    if replay is not None:
        for t in range(start):  # the breakers watch the warm-up bars too
            replay.close_bar(t)
    equity = np.full(length, float(settings.cash))
    ctx = Context(bars, strategy.indicators, broker)
    cursor = ctx._cursor
    opens, closes = bars.open, bars.close
    on_close = settings.fill is FillTiming.CLOSE
    pending: list[tuple[str, float]] = []
    on_bar = strategy.on_bar
    for lo, hi in chunks(start, length):  # progress is reported between chunks
        for t in range(lo, hi):
            if pending:
                if replay is not None:
                    replay.open_bar(t)
                executor.execute(pending, opens[t], t, t - 1)
                pending = []
            if replay is not None:
                replay.close_bar(t)
            cursor.index = t
            on_bar(ctx)
            if ctx.orders:
                if on_close:
                    executor.execute(ctx.orders, closes[t], t, t)
                else:
                    pending = ctx.orders
                ctx.orders = []
            if broker.trades:
                value = equity[t] = broker.equity_at(closes[t])
                if value <= 0:
                    _go_bust(broker, closes, equity, t)
                    return equity, t
            else:
                equity[t] = broker.cash
    return equity, None


def _signal_loop(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: OrderExecutor,
    settings: ExecutionSettings,
    start: int,
    chunks: Chunks,
) -> tuple[np.ndarray, int | None]:
    equity = _signal_pass(strategy, bars, broker, executor, settings, start, len(bars), chunks)
    broke = np.flatnonzero(equity[start:] <= 0)
    if not len(broke):
        return equity, None
    # Rare: equity hit zero. Replay up to that bar (the path before it is the same) and stop.
    bust = start + int(broke[0])
    broker.__init__(settings.cash, broker.rule, at_close=broker.at_close)  # type: ignore[misc]
    equity = _signal_pass(strategy, bars, broker, executor, settings, start, bust + 1, whole)
    _go_bust(broker, bars.close, equity, bust)
    return equity, bust


def _signal_pass(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: OrderExecutor,
    settings: ExecutionSettings,
    start: int,
    stop: int,
    chunks: Chunks,
) -> np.ndarray:
    """Fill the decisions of bars [start, stop) whose fills fall before `stop`; equity per bar."""
    events = strategy._cached_signals
    assert events is not None
    length = len(bars)
    on_close = settings.fill is FillTiming.CLOSE
    opens, closes = bars.open, bars.close
    decided = np.flatnonzero(~np.isnan(events[start:])) + start
    # A decision whose fill would fall at or after `stop` is never executed.
    decided_list = decided[decided < (stop if on_close else stop - 1)].tolist()
    seg_start, seg_cash, seg_size, seg_basis = [0], [broker.cash], [0.0], [0.0]
    held = 0.0
    reenter = strategy.reenter
    first = 0
    for _, hi in chunks(start, stop):  # progress is reported between chunks
        last = bisect_left(decided_list, hi, first)
        for t in decided_list[first:last]:
            side = 1.0 if events[t] > 0 else (-1.0 if events[t] < 0 else 0.0)
            if side == held and not (reenter and side):
                continue
            fill_bar = t if on_close else t + 1
            orders: list[tuple[str, float]] = [("close", 0.0)]
            if side:
                orders.append(("buy" if side > 0 else "sell", math.nan))
            executor.execute(orders, closes[t] if on_close else opens[fill_bar], fill_bar, t)
            units = broker.position_size()
            held = 1.0 if units > 0 else (-1.0 if units < 0 else 0.0)
            seg_start.append(fill_bar)
            seg_cash.append(broker.cash)
            seg_size.append(units)
            seg_basis.append(broker.cost_basis())
        first = last
    lengths = np.diff(np.r_[seg_start, length])
    cash, size, basis = (np.repeat(np.asarray(v), lengths) for v in (seg_cash, seg_size, seg_basis))
    return cash + size * closes - basis


def _go_bust(broker: Broker, closes: np.ndarray, equity: np.ndarray, bar: int) -> None:
    """Equity reached zero: close everything at this close and stop, as backtesting.py does.

    (On the engine loop the account may lack the cash to buy a short back; then it stays open.)
    """
    broker.at_close = True
    broker.close_all(closes[bar], bar)
    broker.cash = 0.0
    equity[bar:] = 0.0
