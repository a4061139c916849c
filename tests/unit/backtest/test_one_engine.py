"""One engine: the live `ExecutionEngine` on a replay clock and the fast loops give identical fills.

`loop="engine"` places every order as an `OrderRequest` on `keel.engine.ExecutionEngine` (a
`FixedClock` moved to each bar's open and close, quotes built from the bar at the fill time, the
`keel.risk.standard_gate` with the symbol breaker fed the bars' regimes). The fast loops price the
same orders with the engine's fill functions and apply precomputed breaker levels. Compared on the
money grid, the mode the live engine keeps money in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from keel.backtest.runner import BacktestResult, run_backtest
from keel.backtest.settings import ExecutionSettings, FillTiming, Sizing
from keel.backtest.strategies import BUILTIN
from keel.domain.enums import OrderSide, Permission
from keel.domain.money import to_money, to_price
from keel.market.datasets import load_bundled

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

CASES: list[tuple[str, str, dict[str, float], dict[str, Any]]] = [
    ("GOOG", "sma-cross", {"fast": 10, "slow": 30}, {"long_short": True}),
    ("GOOG", "sma-cross", {"fast": 10, "slow": 20}, {"long_short": True, "commission": 0.002}),
    (
        "SPX",
        "momentum",
        {"lookback": 20},
        {"long_short": True, "commission": 0.001, "spread": 0.0004, "slippage": 0.0002},
    ),
    (
        "EURUSD",
        "bollinger",
        {},
        {"long_short": True, "commission": 0.0001, "fill": FillTiming.CLOSE},
    ),
    ("SPX", "vol-target-buy-and-hold", {}, {"commission": 0.001}),
    ("SPX", "regime-aware-sma", {}, {"long_short": True, "commission": 0.001}),
    ("SPX", "sma-cross", {}, {"long_short": True, "breakers": True, "commission": 0.001}),
    (
        "SPX",
        "rsi-mean-reversion",
        {},
        {"long_short": True, "breakers": True, "sizing": Sizing.VOL_TARGET, "close_at_end": False},
    ),
]


def _fast_fills(result: BacktestResult) -> list[tuple[int, OrderSide, Decimal, Decimal, Decimal]]:
    return [
        (
            result.fill_time_ns(fill),
            OrderSide.BUY if fill.units > 0 else OrderSide.SELL,
            Decimal(str(abs(fill.units))),
            to_price(fill.price),
            to_money(fill.commission),
        )
        for fill in result.fills
    ]


def _engine_fills(result: BacktestResult) -> list[tuple[int, OrderSide, Decimal, Decimal, Decimal]]:
    return [
        (_nanoseconds(fill.time), fill.side, fill.quantity, fill.price, fill.commission)
        for fill in result.engine_fills
    ]


def _nanoseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1) * 1000


@pytest.mark.parametrize(("symbol", "name", "params", "options"), CASES)
def test_engine_loop_and_fast_loops_give_identical_fills(
    symbol: str, name: str, params: dict[str, float], options: dict[str, Any]
) -> None:
    frame = load_bundled(symbol)
    settings = ExecutionSettings(money_grid=True, **options)
    engine = run_backtest(frame, BUILTIN[name], params, settings, loop="engine")
    fast = run_backtest(frame, BUILTIN[name], params, settings)
    events = run_backtest(frame, BUILTIN[name], params, settings, loop="events")
    assert len(engine.engine_fills) > 20
    live = _engine_fills(engine)
    assert live == _fast_fills(fast) == _fast_fills(events)
    assert engine.trades == fast.trades
    # Equity agrees to float error: the engine's account is Decimal, the fast books are floats.
    np.testing.assert_allclose(engine.equity, fast.equity, rtol=1e-12, atol=1e-6)


def test_the_engine_fills_at_the_next_open_on_the_replay_clock() -> None:
    frame = load_bundled("GOOG")
    result = run_backtest(frame, BUILTIN["sma-cross"], None, ExecutionSettings(), loop="engine")
    first = result.engine_fills[0]
    assert (first.time.hour, first.time.minute) in ((13, 30), (14, 30))  # 09:30 New York
    bar = result.fills[0].bar
    assert first.time.date() == frame.index[bar].date()
    assert first.price == to_price(frame["Open"].iloc[bar])


def test_the_engine_gate_keeps_new_exposure_small_while_restricted() -> None:
    """RESTRICTED means small positions, not none (issue 8): entries in a storm are cut to 10 % of
    equity, at CAUTIOUS to 50 %, and the live gate agrees with the fast loop's caps."""
    frame = load_bundled("GOOG")
    settings = ExecutionSettings(breakers=True, long_short=True, money_grid=True)
    result = run_backtest(frame, BUILTIN["sma-cross"], None, settings, loop="engine")
    fast = run_backtest(frame, BUILTIN["sma-cross"], None, settings)
    free = run_backtest(frame, BUILTIN["sma-cross"], None, ExecutionSettings(long_short=True))
    assert result.levels is not None
    caps = {Permission.CAUTIOUS: 0.5, Permission.RESTRICTED: 0.1}
    entered: dict[Permission, int] = {}
    for trade in result.trades:
        level = Permission(int(result.levels[trade.entry_bar - 1]))
        entered[level] = entered.get(level, 0) + 1
        if level in caps:
            worth = abs(trade.size) * trade.entry_price
            assert worth <= caps[level] * result.equity[trade.entry_bar - 1] * 1.02, trade
    assert entered.get(Permission.RESTRICTED, 0) > 0  # a storm no longer locks the strategy out
    exposure = sum(abs(t.size) * t.entry_price for t in result.trades)
    assert exposure < sum(abs(t.size) * t.entry_price for t in free.trades)
    # The live gate never had to refuse or cut what the fast loop's caps allowed.
    assert not result.engine_refusals and result.trades == fast.trades
