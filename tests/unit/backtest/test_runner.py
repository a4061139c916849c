"""Runner behaviour: both loops agree, execution settings do what they say, fills are the engine's."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest

from keel.backtest.broker import ClosedTrade
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings, FillTiming, Sizing
from keel.backtest.strategies import BUILTIN, SmaCross
from keel.domain.enums import OrderSide, Permission
from keel.domain.money import to_price
from keel.engine.config import BPS, ExecutionConfig
from keel.engine.fill_model import fill_price, order_commission, quote_from_price
from keel.market.datasets import load_bundled

GOOG = load_bundled("GOOG")
SPX = load_bundled("SPX")
SIGNAL_STRATEGIES = ["buy-and-hold", "sma-cross", "momentum", "rsi-mean-reversion", "bollinger"]


@pytest.mark.parametrize("name", SIGNAL_STRATEGIES)
@pytest.mark.parametrize(
    "execution",
    [
        ExecutionSettings(long_short=True),
        ExecutionSettings(commission=0.002, spread=0.001, fill=FillTiming.CLOSE),
        ExecutionSettings(sizing=Sizing.VOL_TARGET, breakers=True, long_short=True),
    ],
)
def test_signal_loop_and_event_loop_agree(name: str, execution: ExecutionSettings) -> None:
    fast = run_backtest(SPX, BUILTIN[name], None, execution, loop="signals")
    slow = run_backtest(SPX, BUILTIN[name], None, execution, loop="events")
    assert fast.trades == slow.trades
    np.testing.assert_array_equal(fast.equity, slow.equity)


def _engine_price(side: OrderSide, reference: float, config: ExecutionConfig) -> float:
    quote = quote_from_price("X", to_price(reference), datetime(2000, 1, 1, tzinfo=UTC), config)
    return float(fill_price(side, quote, config))


def test_fills_are_the_live_engine_fills() -> None:
    execution = ExecutionSettings(
        long_short=True, commission=0.001, spread=0.0004, slippage=0.0002, money_grid=True
    )
    result = run_backtest(GOOG, SmaCross, None, execution)
    config = ExecutionConfig(
        spread_bps=Decimal("4"), slippage_bps=Decimal("2"), commission_bps=Decimal("10")
    )
    opens = GOOG["Open"].to_numpy()
    assert len(result.trades) > 30
    for trade in result.trades:
        entry_side = OrderSide.BUY if trade.size > 0 else OrderSide.SELL
        exit_side = OrderSide.SELL if trade.size > 0 else OrderSide.BUY
        assert trade.entry_price == _engine_price(entry_side, opens[trade.entry_bar], config)
        assert trade.exit_price == _engine_price(exit_side, opens[trade.exit_bar], config)
        units = Decimal(abs(int(trade.size)))
        expected = order_commission(
            units, units * Decimal(str(trade.entry_price)), config
        ) + order_commission(units, units * Decimal(str(trade.exit_price)), config)
        assert Decimal(str(round(trade.commission, 2))) == expected
    assert config.commission_bps / BPS == Decimal("0.001")


def test_money_grid_and_exact_floats_agree_without_commission_on_cent_prices() -> None:
    grid = run_backtest(GOOG, SmaCross, None, ExecutionSettings(long_short=True, money_grid=True))
    exact = run_backtest(GOOG, SmaCross, None, ExecutionSettings(long_short=True, money_grid=False))
    assert grid.trades == exact.trades


def test_commission_on_the_grid_is_whole_cents_and_never_below_the_exact_figure() -> None:
    grid = run_backtest(GOOG, SmaCross, None, ExecutionSettings(commission=0.002, money_grid=True))
    exact = run_backtest(
        GOOG, SmaCross, None, ExecutionSettings(commission=0.002, money_grid=False)
    )
    for ours, theirs in zip(grid.trades[:10], exact.trades[:10], strict=True):
        assert round(ours.commission * 100) == pytest.approx(ours.commission * 100, abs=1e-6)
        assert ours.commission >= theirs.commission - 1e-9


@pytest.mark.parametrize(
    ("execution", "check"),
    [
        (ExecutionSettings(sizing=Sizing.FIXED, units=7), lambda t, eq: abs(t.size) == 7),
        (
            ExecutionSettings(sizing=Sizing.FRACTION, fraction=0.25),
            lambda t, eq: abs(t.size) * t.entry_price <= 0.25 * eq + 1e-6,
        ),
        (ExecutionSettings(long_short=False), lambda t, eq: t.size > 0),
        (ExecutionSettings(long_short=True), lambda t, eq: t.size == int(t.size)),
    ],
)
def test_sizing_and_direction(execution: ExecutionSettings, check) -> None:  # type: ignore[no-untyped-def]
    result = run_backtest(GOOG, SmaCross, None, execution)
    assert result.trades
    for trade in result.trades:
        equity_before = result.equity[trade.entry_bar - 1]
        assert check(trade, equity_before), trade


def test_long_short_trades_both_sides_and_all_in_uses_the_equity() -> None:
    result = run_backtest(GOOG, SmaCross, None, ExecutionSettings(long_short=True))
    sizes = np.array([t.size for t in result.trades])
    assert (sizes > 0).any() and (sizes < 0).any()
    first = result.trades[0]
    assert abs(first.size) * first.entry_price <= 10_000 < (abs(first.size) + 1) * first.entry_price


def test_vol_target_sizing_scales_with_volatility() -> None:
    result = run_backtest(
        SPX, SmaCross, None, ExecutionSettings(sizing=Sizing.VOL_TARGET, target_vol=0.05)
    )
    exposures = [
        abs(t.size) * t.entry_price / result.equity[t.entry_bar - 1] for t in result.trades
    ]
    assert max(exposures) <= 1.0
    assert min(exposures) < 0.5 * max(exposures)


def test_breakers_cap_new_exposure_small_when_restricted_and_by_half_when_cautious() -> None:
    """Issue 8: RESTRICTED keeps new positions small (10 % of equity), not none."""
    result = run_backtest(SPX, SmaCross, None, ExecutionSettings(breakers=True, long_short=True))
    assert result.levels is not None
    entries = [(t, int(result.levels[t.entry_bar - 1])) for t in result.trades]
    caps = {Permission.CAUTIOUS: 0.5, Permission.RESTRICTED: 0.1}
    for level, cap in caps.items():
        capped = [t for t, entered_at in entries if entered_at == level]
        assert capped, level
        for trade in capped:
            # The gate's cap: the position may be worth at most cap × equity.
            equity = result.equity[trade.entry_bar - 1]
            assert abs(trade.size) * trade.entry_price <= cap * equity * 1.05
    free = run_backtest(SPX, SmaCross, None, ExecutionSettings(long_short=True))
    restricted = [t for t in free.trades if result.levels[t.entry_bar - 1] == Permission.RESTRICTED]
    # Without breakers the same storm entries are full size, far above the 10 % cap.
    assert (
        restricted
        and max(abs(t.size) * t.entry_price / free.equity[t.entry_bar - 1] for t in restricted)
        > 0.5
    )


def test_fill_at_close_uses_the_decision_bar_close() -> None:
    result = run_backtest(GOOG, SmaCross, None, ExecutionSettings(fill=FillTiming.CLOSE))
    closes = GOOG["Close"].to_numpy()
    assert all(t.entry_price == closes[t.entry_bar] for t in result.trades)


def test_progress_reaches_the_end() -> None:
    calls: list[tuple[int, int]] = []
    run_backtest(SPX, BUILTIN["regime-aware-sma"], None, progress=lambda a, b: calls.append((a, b)))
    assert calls[-1] == (len(SPX), len(SPX))
    assert len(calls) > 1


def test_equity_that_reaches_zero_stops_the_run() -> None:
    result = run_backtest(
        GOOG, BUILTIN["rsi-mean-reversion"], None, ExecutionSettings(long_short=True)
    )
    assert result.stats["final_equity"] == 0.0
    broke = int(np.flatnonzero(result.equity <= 0)[0])
    assert (result.equity[broke:] == 0).all()
    assert all(isinstance(t, ClosedTrade) and t.exit_bar <= broke for t in result.trades)


@pytest.mark.parametrize(
    "bad",
    [
        {"cash": 0},
        {"commission": -0.1},
        {"spread": 0.5},
        {"fraction": 1.5},
        {"vol_lookback": 1},
    ],
)
def test_invalid_settings_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ExecutionSettings(**bad)  # type: ignore[arg-type]
