"""Cross-check against backtesting.py 0.6.6, run in the test itself: figures and trade lists."""

from __future__ import annotations

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from backtesting import Backtest

from keel.backtest.runner import BacktestResult, run_backtest
from keel.backtest.settings import ExecutionSettings, Sizing
from keel.backtest.strategies import BUILTIN, SmaCross
from keel.market.datasets import load_bundled
from tests.unit.backtest.peers import PeerSmaCross, run_peer


def _peer_sma(fast: int, slow: int, commission: float, finalize: bool) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        backtest = Backtest(
            load_bundled("GOOG"),
            PeerSmaCross,
            cash=10_000,
            commission=commission,
            finalize_trades=finalize,
        )
        return backtest.run(n1=fast, n2=slow)


def _assert_same_trades(ours: BacktestResult, peer: pd.Series) -> None:
    theirs = peer["_trades"]
    assert len(ours.trades) == len(theirs)
    mine = pd.DataFrame(
        {
            "EntryBar": [t.entry_bar for t in ours.trades],
            "ExitBar": [t.exit_bar for t in ours.trades],
            "Size": [t.size for t in ours.trades],
            "EntryPrice": [t.entry_price for t in ours.trades],
            "ExitPrice": [t.exit_price for t in ours.trades],
            "PnL": [t.pnl for t in ours.trades],
        }
    )
    mine = mine.astype(float)
    theirs = theirs[mine.columns].reset_index(drop=True).astype(float)
    # backtesting.py lists closed trades in closing order; so do we, but same-bar closes of
    # several trades can come in either order.
    key = ["ExitBar", "EntryBar", "Size"]
    mine = mine.sort_values(key).reset_index(drop=True)
    theirs = theirs.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs, check_exact=False, rtol=1e-9, atol=1e-6)


def test_sma_cross_10_30_on_goog_matches_the_acceptance_figures_and_the_peer() -> None:
    settings = ExecutionSettings(cash=10_000, long_short=True, sizing=Sizing.ALL_IN)
    ours = run_backtest(load_bundled("GOOG"), SmaCross, {"fast": 10, "slow": 30}, settings)
    peer = _peer_sma(10, 30, 0.0, finalize=True)
    stats = ours.stats
    expected = {
        "trade_count": (66, peer["# Trades"]),
        "return_pct": (414.2299, peer["Return [%]"]),
        "final_equity": (51_422.99, peer["Equity Final [$]"]),
        "max_drawdown_pct": (-47.98, peer["Max. Drawdown [%]"]),
        "win_rate_pct": (46.97, peer["Win Rate [%]"]),
        "sharpe": (0.5806, peer["Sharpe Ratio"]),
        "sortino": (1.0853, peer["Sortino Ratio"]),
        "calmar": (0.4417, peer["Calmar Ratio"]),
        "sqn": (1.0766, peer["SQN"]),
        "profit_factor": (2.1679, peer["Profit Factor"]),
        "exposure_pct": (96.74, peer["Exposure Time [%]"]),
        "cagr_pct": (21.16, peer["CAGR [%]"]),
    }
    for key, (figure, peer_value) in expected.items():
        assert stats[key] == pytest.approx(peer_value, rel=1e-9), key
        decimals = len(str(figure).split(".")[1]) if "." in str(figure) else 0
        assert round(stats[key], decimals) == pytest.approx(figure), key
    assert stats["max_drawdown_duration_days"] == peer["Max. Drawdown Duration"].days
    assert stats["buy_hold_return_pct"] == pytest.approx(peer["Buy & Hold Return [%]"])
    assert stats["volatility_ann_pct"] == pytest.approx(peer["Volatility (Ann.) [%]"])
    assert stats["avg_trade_pct"] == pytest.approx(peer["Avg. Trade [%]"])
    _assert_same_trades(ours, peer)
    np.testing.assert_allclose(ours.equity, peer["_equity_curve"]["Equity"].to_numpy())


@pytest.mark.parametrize(
    ("close_at_end", "trades", "final_equity"), [(False, 93, 56_263.52), (True, 94, 55_574.51)]
)
def test_sma_cross_10_20_with_commission(close_at_end: bool, trades: int, final_equity: float):
    # The 93 trades / 56,263.52 is backtesting.py with the last trade left open
    # (finalize_trades=False); closing it at the end gives 94 / 55,574.51.
    settings = ExecutionSettings(
        commission=0.002, long_short=True, close_at_end=close_at_end, money_grid=False
    )
    ours = run_backtest(load_bundled("GOOG"), SmaCross, {"fast": 10, "slow": 20}, settings)
    peer = _peer_sma(10, 20, 0.002, finalize=close_at_end)
    assert ours.stats["trade_count"] == trades == peer["# Trades"]
    assert round(ours.stats["final_equity"], 2) == final_equity
    assert ours.stats["final_equity"] == pytest.approx(peer["Equity Final [$]"], rel=1e-12)
    _assert_same_trades(ours, peer)


def test_sma_cross_10_20_on_the_money_grid_differs_only_by_commission_rounding() -> None:
    # The live engine rounds each order's commission up to the cent: same trades as
    # backtesting.py, final equity lower by exactly what the rounding added (56,262.61).
    settings = ExecutionSettings(
        commission=0.002, long_short=True, close_at_end=False, money_grid=True
    )
    grid = run_backtest(load_bundled("GOOG"), SmaCross, {"fast": 10, "slow": 20}, settings)
    peer = _peer_sma(10, 20, 0.002, finalize=False)
    assert grid.stats["trade_count"] == 93 == peer["# Trades"]
    assert round(grid.stats["final_equity"], 2) == 56_262.61
    theirs = peer["_trades"]
    assert [t.entry_bar for t in grid.trades] == theirs["EntryBar"].tolist()
    assert [t.size for t in grid.trades] == theirs["Size"].tolist()
    assert [t.exit_price for t in grid.trades] == theirs["ExitPrice"].tolist()
    rounding = sum(
        Decimal(str(fill.commission))
        - abs(Decimal(str(fill.units))) * Decimal(str(fill.price)) * Decimal("0.002")
        for fill in grid.fills
    )
    assert len(grid.fills) == 187
    assert Decimal("0") < rounding < Decimal("0.01") * len(grid.fills)
    assert peer["Equity Final [$]"] - grid.stats["final_equity"] == pytest.approx(
        float(rounding), abs=1e-6
    )


CASES = [
    ("GOOG", "sma-cross", {"fast": 5, "slow": 40}, 0.001, True),
    ("GOOG", "momentum", {"lookback": 20}, 0.0, True),
    ("GOOG", "bollinger", {}, 0.002, False),
    ("GOOG", "rsi-mean-reversion", {}, 0.001, True),
    ("GOOG", "vol-target-buy-and-hold", {"rebalance": 10}, 0.001, False),
    ("SPX", "sma-cross", {"fast": 20, "slow": 100}, 0.001, True),
    ("SPX", "rsi-mean-reversion", {"window": 10}, 0.0005, False),
    ("SPX", "buy-and-hold", {}, 0.001, False),
    ("SPX", "vol-target-buy-and-hold", {}, 0.0, False),
    ("EURUSD", "sma-cross", {"fast": 12, "slow": 48}, 0.0, True),
    ("EURUSD", "bollinger", {"window": 30}, 0.0001, True),
    ("EURUSD", "momentum", {"lookback": 24}, 0.0, False),
]


@pytest.mark.parametrize(("symbol", "name", "params", "commission", "long_short"), CASES)
def test_trade_lists_match_backtesting_py(
    symbol: str, name: str, params: dict[str, float], commission: float, long_short: bool
) -> None:
    frame = load_bundled(symbol)
    settings = ExecutionSettings(
        cash=100_000, commission=commission, long_short=long_short, money_grid=False
    )
    ours = run_backtest(frame, BUILTIN[name], params, settings)
    peer = run_peer(
        frame, BUILTIN[name], params, cash=100_000, commission=commission, long_short=long_short
    )
    assert ours.stats["trade_count"] > 0
    _assert_same_trades(ours, peer)
    assert ours.stats["final_equity"] == pytest.approx(peer["Equity Final [$]"], rel=1e-9)
    assert ours.stats["sharpe"] == pytest.approx(peer["Sharpe Ratio"], rel=1e-6, nan_ok=True)
    assert ours.stats["max_drawdown_pct"] == pytest.approx(peer["Max. Drawdown [%]"], rel=1e-9)
