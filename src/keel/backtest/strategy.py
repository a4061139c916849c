"""Strategy API: declared parameters, causal indicators and a per-bar context that cannot see ahead.

A strategy is a small class::

    class MyCross(Strategy):
        name = "my-cross"
        params = {"fast": Param(10, low=2, high=100), "slow": Param(30, low=5, high=400)}

        def init(self, bars: Bars) -> None:
            self.indicator("fast", sma(bars.close, self.p["fast"]))
            self.indicator("slow", sma(bars.close, self.p["slow"]))

        def on_bar(self, ctx: Context) -> None:
            fast, slow = ctx.indicator("fast"), ctx.indicator("slow")
            if fast[-2] < slow[-2] and fast[-1] > slow[-1]:
                ctx.target(1)

`init` sees the whole history once so indicators are computed as vectorised numpy arrays; the runner
proves them causal by recomputing them on truncated history. `on_bar` sees only bars up to now: any
read of a later bar raises `LookAheadError`. A strategy may also implement `signals()`, returning
per bar the target direction decided at that bar's close (NaN: no decision); the runner then skips
the bars without a decision, which is what makes sweeps fast.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd


class LookAheadError(RuntimeError):
    """A strategy read a bar (or an indicator value) after the current one."""


class StrategyError(ValueError):
    """A strategy or its parameters are invalid."""


@dataclass(frozen=True)
class Param:
    """A declared strategy parameter: default value and the sweep range hint [low, high]."""

    default: float
    low: float | None = None
    high: float | None = None
    help: str = ""

    @property
    def is_int(self) -> bool:
        return isinstance(self.default, int) and not isinstance(self.default, bool)


class Bars:
    """Column arrays (float64) of an OHLCV history, plus its DatetimeIndex."""

    __slots__ = ("_calendar", "close", "high", "index", "low", "open", "volume")

    def __init__(self, frame: pd.DataFrame) -> None:
        self.index = pd.DatetimeIndex(frame.index)
        self.open = frame["Open"].to_numpy(dtype=float)
        self.high = frame["High"].to_numpy(dtype=float)
        self.low = frame["Low"].to_numpy(dtype=float)
        self.close = frame["Close"].to_numpy(dtype=float)
        volume = frame["Volume"] if "Volume" in frame.columns else pd.Series(0.0, index=frame.index)
        self.volume = volume.to_numpy(dtype=float)
        self._calendar: dict[str, object] = {}

    def calendar(self, key: str, compute: Callable[[], object]) -> object:
        """Memoised facts about the index (bar spacing, trading days a year), computed once."""
        if key not in self._calendar:
            self._calendar[key] = compute()
        return self._calendar[key]

    def __len__(self) -> int:
        return len(self.close)

    def head(self, length: int) -> Bars:
        """The first `length` bars (copies, so changing them cannot touch the original)."""
        part = object.__new__(Bars)
        part.index = self.index[:length]
        for name in ("open", "high", "low", "close", "volume"):
            setattr(part, name, getattr(self, name)[:length].copy())
        part._calendar = {}
        return part

    @property
    def nanoseconds(self) -> np.ndarray:
        """The index as int64 nanoseconds since the epoch (cached)."""
        return self.calendar("ns", lambda: self.index.as_unit("ns").asi8.copy())  # type: ignore[return-value]


class CausalSeries:
    """A read-only view of a per-bar array that ends at the current bar.

    Negative indices count back from now (``[-1]`` is the current bar, as in backtesting.py);
    non-negative ones are absolute bar positions. Asking for a later bar raises `LookAheadError`.
    """

    __slots__ = ("_clock", "_name", "_values")

    def __init__(self, name: str, values: np.ndarray, clock: _BarCursor) -> None:
        self._name = name
        self._values = values
        self._clock = clock

    def __len__(self) -> int:
        return self._clock.index + 1

    def _future(self, position: int) -> LookAheadError:
        return LookAheadError(
            f"{self._name}[{position}] is in the future: the current bar is {self._clock.index}"
        )

    def __getitem__(self, key: int | slice) -> Any:
        now = self._clock.index
        if isinstance(key, slice):
            if key.stop is not None and key.stop >= 0 and key.stop > now + 1:
                raise self._future(key.stop - 1)
            return self._values[: now + 1][key]
        position = int(key)
        if position >= 0:
            if position > now:
                raise self._future(position)
            return float(self._values[position])
        if -position > now + 1:
            raise IndexError(f"{self._name}[{position}] is before the first bar")
        return float(self._values[now + 1 + position])

    @property
    def values(self) -> np.ndarray:
        """All values up to and including the current bar (a read-only view)."""
        view = self._values[: self._clock.index + 1]
        view.flags.writeable = False
        return view


class _BarCursor:
    __slots__ = ("index",)

    def __init__(self) -> None:
        self.index = 0


class Strategy:
    """Base class of every strategy; subclasses set `name`, `params` and override `init`/`on_bar`."""

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}
    description: ClassVar[str] = ""
    reenter: ClassVar[bool] = False
    """With `signals()`: a decision for the side already held closes and reopens the position
    (backtesting.py's SMA example does so) instead of being ignored."""

    def __init__(self, **overrides: float) -> None:
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            raise StrategyError(
                f"{self.name or type(self).__name__} has no parameter(s) {', '.join(unknown)}; "
                f"declared: {', '.join(self.params) or 'none'}"
            )
        resolved: dict[str, float] = {}
        for key, spec in self.params.items():
            value = overrides.get(key, spec.default)
            resolved[key] = int(value) if spec.is_int else float(value)
        self.p = resolved
        self.indicators: dict[str, np.ndarray] = {}

    def indicator(self, name: str, values: np.ndarray | pd.Series) -> np.ndarray:
        """Declare a per-bar indicator (computed causally over the whole history); returns it."""
        array = np.asarray(values, dtype=float)
        self.indicators[name] = array
        return array

    def init(self, bars: Bars) -> None:
        """Compute indicators with `self.indicator(...)`. Called once, before the first bar."""

    def signals(self) -> np.ndarray | None:
        """Optional: per-bar target direction (+1 long, 0 flat, −1 short; NaN = no decision)."""
        return None

    def on_bar(self, ctx: Context) -> None:
        """Decide at the close of the current bar; default: follow `signals()`."""
        events = self._cached_signals
        if events is not None:
            target = events[ctx.index]
            if not math.isnan(target):
                if self.reenter and np.sign(target) == np.sign(ctx.position):
                    ctx.close_position()
                    ctx.buy() if target > 0 else ctx.sell()
                else:
                    ctx.target(target)

    @property
    def warmup(self) -> int:
        """Bars before every indicator has a value (the first non-NaN position, at most)."""
        worst = 0
        for values in self.indicators.values():
            if len(values) == 0:
                continue
            nans = np.isnan(values)
            worst = max(worst, int(nans.argmin()) if not nans.all() else len(values))
        return worst

    def prepare(self, bars: Bars) -> None:
        """Run `init` and cache `signals()`; the runner calls this once."""
        self.init(bars)
        events = self.signals()
        self._cached_signals = None if events is None else np.asarray(events, dtype=float)

    _cached_signals: np.ndarray | None = None


class Context:
    """What a strategy sees and can do at the close of the current bar."""

    def __init__(self, bars: Bars, indicators: dict[str, np.ndarray], broker_view: Any) -> None:
        self._cursor = _BarCursor()
        self._bars = bars
        self._broker = broker_view
        self.open = CausalSeries("open", bars.open, self._cursor)
        self.high = CausalSeries("high", bars.high, self._cursor)
        self.low = CausalSeries("low", bars.low, self._cursor)
        self.close = CausalSeries("close", bars.close, self._cursor)
        self.volume = CausalSeries("volume", bars.volume, self._cursor)
        self._indicators = {
            name: CausalSeries(name, values, self._cursor) for name, values in indicators.items()
        }
        self.orders: list[tuple[str, float]] = []

    @property
    def index(self) -> int:
        """Position of the current bar in the history (0-based)."""
        return self._cursor.index

    @property
    def time(self) -> pd.Timestamp:
        return self._bars.index[self._cursor.index]

    def indicator(self, name: str) -> CausalSeries:
        try:
            return self._indicators[name]
        except KeyError as exc:
            raise StrategyError(f"no indicator named {name!r}") from exc

    @property
    def position(self) -> float:
        """Signed units held (negative when short)."""
        return float(self._broker.position_size())

    @property
    def equity(self) -> float:
        """Cash plus open positions marked at the current close."""
        return float(self._broker.equity_at(self._bars.close[self._cursor.index]))

    def buy(self, size: float | None = None) -> None:
        """Buy `size` units (None: sized by the execution settings)."""
        self.orders.append(("buy", math.nan if size is None else abs(size)))

    def sell(self, size: float | None = None) -> None:
        """Sell `size` units (None: sized by the execution settings); may open a short."""
        self.orders.append(("sell", math.nan if size is None else abs(size)))

    def close_position(self) -> None:
        """Close every open trade at the next fill."""
        self.orders.append(("close", 0.0))

    def target(self, direction: float) -> None:
        """Go long (+1), flat (0) or short (−1): close the current side first, then open the new."""
        side = np.sign(direction)
        held = np.sign(self._broker.position_size() + self._pending_direction())
        if side == held:
            return
        self.orders.append(("close", 0.0))
        if side > 0:
            self.buy()
        elif side < 0:
            self.sell()

    def _pending_direction(self) -> float:
        # A target given twice before a fill must not stack orders.
        direction = 0.0
        for kind, _ in self.orders:
            if kind == "close":
                direction = -float(self._broker.position_size())
            elif kind == "buy":
                direction += 1.0
            else:
                direction -= 1.0
        return direction
