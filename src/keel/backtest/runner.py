"""The backtest runner: replays bars on a simulated clock through the broker and the fill rule.

Two loops share every rule: the event loop calls `on_bar` on each bar; the signal loop, for
strategies that provide `signals()`, visits only the bars where a decision was taken and fills the
equity curve between them with numpy. Both use the same `Broker`, `FillRule` and order handling,
and a test proves they give identical trades and equity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.broker import ALL_IN_FRACTION, Broker, ClosedTrade
from keel.backtest.fills import FillRule
from keel.backtest.regimes import periods_per_year, realised_vol, regime_series, size_scale
from keel.backtest.settings import ExecutionSettings, FillTiming, Sizing
from keel.backtest.strategy import Bars, Context, LookAheadError, Strategy

ProgressCallback = Callable[[int, int], None]
"""Called as progress(bars_done, bars_total)."""

PROGRESS_MIN_STEP = 256
"""The event loop reports progress every 1 % of the bars, but not more often than this."""


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


class _Executor:
    """Turns queued orders into broker fills under the execution settings."""

    def __init__(
        self, broker: Broker, settings: ExecutionSettings, bars: Bars, regimes: np.ndarray
    ):
        self.broker = broker
        self.settings = settings
        self.scale = size_scale(regimes) if settings.breakers else None
        self.vol: np.ndarray | None = None
        if settings.sizing is Sizing.VOL_TARGET:
            per_year = periods_per_year(bars.index)
            self.vol = realised_vol(bars.close, settings.vol_lookback, per_year)

    def execute(
        self, orders: list[tuple[str, float]], reference: float, bar: int, decided: int
    ) -> None:
        broker = self.broker
        for kind, size in orders:
            if kind == "close":
                broker.close_all(reference, bar)
                continue
            direction = 1.0 if kind == "buy" else -1.0
            held = broker.position_size()
            if direction < 0 and not self.settings.long_short:
                if held > 0:
                    broker.market(-(held if math.isnan(size) else min(size, held)), reference, bar)
                continue
            adds_exposure = held == 0 or (held > 0) == (direction > 0)
            scale = 1.0
            if self.scale is not None and adds_exposure:
                scale = float(self.scale[decided])
                if scale == 0.0:
                    continue
            if math.isnan(size):
                units = self._units(direction, reference, decided, scale)
            else:
                units = size * scale
            if units > 0:
                broker.market(direction * units, reference, bar, self.settings.max_leverage)

    def _units(self, direction: float, reference: float, decided: int, scale: float) -> float:
        settings = self.settings
        if settings.sizing is Sizing.FIXED:
            return float(math.floor(settings.units * scale)) if scale != 1.0 else settings.units
        if settings.sizing is Sizing.VOL_TARGET:
            assert self.vol is not None
            vol = self.vol[decided]
            if not vol > 0:
                return 0.0
            fraction = min(settings.max_leverage, settings.target_vol / vol) * scale
            return self.broker.units_for(direction, reference, fraction)
        fraction = settings.fraction if settings.sizing is Sizing.FRACTION else 1.0
        return self.broker.units_for(direction, reference, min(fraction, ALL_IN_FRACTION) * scale)


def _verify_causal(strategy: Strategy, bars: Bars) -> None:
    """Recompute indicators and signals on truncated history; any change before the cut is look-ahead."""
    length = len(bars)
    for cut in ((2 * length) // 3,):
        if cut < 10:
            continue
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

    `loop` is "auto" (signal loop when the strategy has `signals()`), "events" or "signals".
    """
    from keel.backtest.metrics import compute_stats

    settings = settings or ExecutionSettings()
    bars = data if isinstance(data, Bars) else Bars(data)
    if len(bars) < 2:
        raise ValueError("a backtest needs at least two bars")
    instance = strategy if isinstance(strategy, Strategy) else strategy(**dict(params or {}))
    instance.prepare(bars)
    if settings.check_lookahead:
        _verify_causal(instance, bars)
    if regimes is None:
        regimes = regime_series(bars.close, bars.index)
    broker = Broker(settings.cash, FillRule.from_settings(settings))
    executor = _Executor(broker, settings, bars, regimes)
    start = 1 + instance.warmup
    use_signals = instance._cached_signals is not None and loop != "events"
    if loop == "signals" and instance._cached_signals is None:
        raise ValueError(f"{instance.name} has no signals(); use the event loop")
    if use_signals:
        equity, bust = _signal_loop(instance, bars, broker, executor, settings, start)
    else:
        equity, bust = _event_loop(instance, bars, broker, executor, settings, start, progress)
    open_position = broker.position_size()
    if settings.close_at_end and broker.trades and bust is None:
        last = len(bars) - 1
        reference = bars.open[last] if settings.fill is FillTiming.NEXT_OPEN else bars.close[last]
        broker.close_all(reference, last)
        equity[last] = broker.cash
        open_position = 0.0
    if progress is not None:
        progress(len(bars), len(bars))
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
    )
    result.stats = compute_stats(result)
    return result


def _event_loop(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: _Executor,
    settings: ExecutionSettings,
    start: int,
    progress: ProgressCallback | None,
) -> tuple[np.ndarray, int | None]:
    length = len(bars)
    equity = np.full(length, float(settings.cash))
    ctx = Context(bars, strategy.indicators, broker)
    cursor = ctx._cursor
    opens, closes = bars.open, bars.close
    on_close = settings.fill is FillTiming.CLOSE
    pending: list[tuple[str, float]] = []
    on_bar = strategy.on_bar
    every = max(PROGRESS_MIN_STEP, length // 100)
    for t in range(start, length):
        if pending:
            executor.execute(pending, opens[t], t, t - 1)
            pending = []
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
        if progress is not None and t % every == 0:
            progress(t, length)
    return equity, None


def _signal_loop(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: _Executor,
    settings: ExecutionSettings,
    start: int,
) -> tuple[np.ndarray, int | None]:
    equity = _signal_pass(strategy, bars, broker, executor, settings, start, len(bars))
    broke = np.flatnonzero(equity[start:] <= 0)
    if not len(broke):
        return equity, None
    # Rare: equity hit zero. Replay up to that bar (the path before it is the same) and stop.
    bust = start + int(broke[0])
    broker.__init__(settings.cash, broker.rule)  # type: ignore[misc]
    equity = _signal_pass(strategy, bars, broker, executor, settings, start, bust + 1)
    _go_bust(broker, bars.close, equity, bust)
    return equity, bust


def _signal_pass(
    strategy: Strategy,
    bars: Bars,
    broker: Broker,
    executor: _Executor,
    settings: ExecutionSettings,
    start: int,
    stop: int,
) -> np.ndarray:
    """Fill the decisions of bars [start, stop) whose fills fall before `stop`; equity per bar."""
    events = strategy._cached_signals
    assert events is not None
    length = len(bars)
    on_close = settings.fill is FillTiming.CLOSE
    opens, closes = bars.open, bars.close
    decided = np.flatnonzero(~np.isnan(events[start:])) + start
    seg_start, seg_cash, seg_size, seg_basis = [0], [broker.cash], [0.0], [0.0]
    held = 0.0
    reenter = strategy.reenter
    for t in decided.tolist():
        side = 1.0 if events[t] > 0 else (-1.0 if events[t] < 0 else 0.0)
        if side == held and not (reenter and side):
            continue
        fill_bar = t if on_close else t + 1
        if fill_bar >= stop:
            break
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
    lengths = np.diff(np.r_[seg_start, length])
    cash, size, basis = (np.repeat(np.asarray(v), lengths) for v in (seg_cash, seg_size, seg_basis))
    return cash + size * closes - basis


def _go_bust(broker: Broker, closes: np.ndarray, equity: np.ndarray, bar: int) -> None:
    """Equity reached zero: close everything at this close and stop, as backtesting.py does."""
    broker.close_all(closes[bar], bar)
    broker.cash = 0.0
    equity[bar:] = 0.0
