"""Built-in strategies, and loading a user's strategy class from a Python file."""

from __future__ import annotations

import importlib.util
import inspect
import math
from pathlib import Path
from typing import ClassVar

import numpy as np

from keel.backtest.indicators import crossed_above, events, rate_of_change, rolling_std, rsi, sma
from keel.backtest.regimes import periods_per_year, realised_vol, regime_series
from keel.backtest.strategy import Bars, Context, Param, Strategy, StrategyError
from keel.domain.enums import Regime
from keel.risk.sizing import SizingParameters, regime_weight


class BuyAndHold(Strategy):
    name = "buy-and-hold"
    description = "Buy on the first tradable bar and hold to the end."

    def init(self, bars: Bars) -> None:
        self._length = len(bars)

    def signals(self) -> np.ndarray:
        return np.ones(self._length)


class SmaCross(Strategy):
    name = "sma-cross"
    description = "Long when the fast SMA crosses above the slow one, short/flat on the reverse."
    reenter = True
    params: ClassVar[dict[str, Param]] = {
        "fast": Param(10, low=2, high=100, help="fast window (bars)"),
        "slow": Param(30, low=5, high=400, help="slow window (bars)"),
    }

    def init(self, bars: Bars) -> None:
        self.fast = self.indicator("fast", sma(bars.close, self.p["fast"]))
        self.slow = self.indicator("slow", sma(bars.close, self.p["slow"]))

    def signals(self) -> np.ndarray:
        up = crossed_above(self.fast, self.slow)
        down = crossed_above(self.slow, self.fast)
        return events(len(self.fast), long=up, short=down)


class Momentum(Strategy):
    name = "momentum"
    description = "Long while the `lookback`-bar return is positive, short/flat while negative."
    params: ClassVar[dict[str, Param]] = {
        "lookback": Param(60, low=5, high=250, help="return window (bars)")
    }

    def init(self, bars: Bars) -> None:
        self.roc = self.indicator("roc", rate_of_change(bars.close, self.p["lookback"]))

    def signals(self) -> np.ndarray:
        return events(
            len(self.roc), long=crossed_above(self.roc, 0.0), short=crossed_above(-self.roc, 0.0)
        )


class RsiMeanReversion(Strategy):
    name = "rsi-mean-reversion"
    description = "Long when RSI falls below `lower`, short/flat when it rises above `upper`."
    params: ClassVar[dict[str, Param]] = {
        "window": Param(14, low=2, high=50),
        "lower": Param(30.0, low=5.0, high=45.0),
        "upper": Param(70.0, low=55.0, high=95.0),
    }

    def init(self, bars: Bars) -> None:
        self.rsi = self.indicator("rsi", rsi(bars.close, self.p["window"]))

    def signals(self) -> np.ndarray:
        oversold = crossed_above(-self.rsi, -float(self.p["lower"]))
        overbought = crossed_above(self.rsi, float(self.p["upper"]))
        return events(len(self.rsi), long=oversold, short=overbought)


class Bollinger(Strategy):
    name = "bollinger"
    description = "Long when the close falls below the lower band, short/flat above the upper."
    params: ClassVar[dict[str, Param]] = {
        "window": Param(20, low=5, high=100),
        "width": Param(2.0, low=0.5, high=4.0),
    }

    def init(self, bars: Bars) -> None:
        middle = sma(bars.close, self.p["window"])
        spread = self.p["width"] * rolling_std(bars.close, self.p["window"])
        self.close = bars.close
        self.lower = self.indicator("lower", middle - spread)
        self.upper = self.indicator("upper", middle + spread)

    def signals(self) -> np.ndarray:
        below = crossed_above(self.lower, self.close)
        above = crossed_above(self.close, self.upper)
        return events(len(self.close), long=below, short=above)


class VolTargetBuyAndHold(Strategy):
    name = "vol-target-buy-and-hold"
    description = "Hold units worth equity × target_vol / realised vol, rebalanced every N bars."
    params: ClassVar[dict[str, Param]] = {
        "target_vol": Param(0.15, low=0.05, high=0.40, help="annualised volatility target"),
        "lookback": Param(20, low=5, high=120, help="realised-vol window (bars)"),
        "rebalance": Param(20, low=1, high=120, help="bars between rebalances"),
        "max_leverage": Param(1.0, low=0.5, high=2.0),
    }

    def init(self, bars: Bars) -> None:
        per_year = periods_per_year(bars.index)
        self.vol = self.indicator("vol", realised_vol(bars.close, self.p["lookback"], per_year))

    def on_bar(self, ctx: Context) -> None:
        if ctx.index % int(self.p["rebalance"]):
            return
        vol = ctx.indicator("vol")[-1]
        if not vol > 0:
            return
        exposure = min(float(self.p["max_leverage"]), float(self.p["target_vol"]) / vol)
        _rebalance_to(ctx, exposure)


class RegimeAwareSma(Strategy):
    name = "regime-aware-sma"
    description = "SMA crossover sized by the risk layer: vol target × regime multiplier."
    params: ClassVar[dict[str, Param]] = {
        "fast": Param(10, low=2, high=100),
        "slow": Param(30, low=5, high=400),
        "target_vol": Param(0.15, low=0.05, high=0.40, help="annualised volatility target"),
    }
    _direction = 0.0
    """The side of the last crossover: 1 long, -1 short, 0 before the first."""

    def init(self, bars: Bars) -> None:
        self.fast = self.indicator("fast", sma(bars.close, self.p["fast"]))
        self.slow = self.indicator("slow", sma(bars.close, self.p["slow"]))
        self.indicator("regime", regime_series(bars.close, bars.index).astype(float))
        per_year = periods_per_year(bars.index)
        self.indicator("vol", realised_vol(bars.close, 20, per_year))

    def on_bar(self, ctx: Context) -> None:
        fast, slow = ctx.indicator("fast"), ctx.indicator("slow")
        regime = int(ctx.indicator("regime")[-1])
        if fast[-2] < slow[-2] and fast[-1] > slow[-1]:
            self._direction = 1.0
        elif fast[-2] > slow[-2] and fast[-1] < slow[-1]:
            self._direction = -1.0
        else:
            return
        sizing = SizingParameters(target_vol=float(self.p["target_vol"]))
        weight = regime_weight(ctx.indicator("vol")[-1], Regime(regime), sizing)
        _rebalance_to(ctx, self._direction * weight)


def _rebalance_to(ctx: Context, exposure: float) -> None:
    """Order the difference between the held units and `exposure` × equity in whole units."""
    price = ctx.close[-1]
    desired = math.copysign(math.floor(abs(exposure) * ctx.equity / price), exposure)
    change = desired - ctx.position
    if change > 0:
        ctx.buy(change)
    elif change < 0:
        ctx.sell(-change)


BUILTIN: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (
        BuyAndHold,
        SmaCross,
        Momentum,
        RsiMeanReversion,
        Bollinger,
        VolTargetBuyAndHold,
        RegimeAwareSma,
    )
}


def get_strategy(name: str) -> type[Strategy]:
    """A built-in strategy by name, or `path/to/file.py[:ClassName]` for a user's own class."""
    if name in BUILTIN:
        return BUILTIN[name]
    path, _, class_name = name.partition(":")
    if path.endswith(".py"):
        return load_strategy_file(Path(path), class_name or None)
    raise StrategyError(f"unknown strategy {name!r}; built-ins: {', '.join(BUILTIN)}")


def load_strategy_file(path: Path, class_name: str | None = None) -> type[Strategy]:
    """Import `path` and return its Strategy subclass (the one named `class_name` if given)."""
    if not path.is_file():
        raise StrategyError(f"no strategy file at {path}")
    spec = importlib.util.spec_from_file_location(f"keel_user_strategy_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise StrategyError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = {
        obj.__name__: obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Strategy) and obj.__module__ == module.__name__
    }
    if class_name is not None:
        if class_name not in found:
            raise StrategyError(f"{path} defines no Strategy subclass named {class_name}")
        return found[class_name]
    if len(found) != 1:
        raise StrategyError(
            f"{path} defines {len(found)} Strategy subclasses; name one with FILE.py:ClassName"
        )
    return next(iter(found.values()))
