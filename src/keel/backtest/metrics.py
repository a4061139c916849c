"""Performance statistics of a backtest, defined as backtesting.py 0.6.6 defines them.

Matching definitions let the cross-check compare figures, not just trades. Where a definition is
unusual it is kept on purpose and documented in docs/backtesting.md: annualised return is the
geometric mean daily return compounded over 252 (or 365) days; volatility is the matching
compounded figure; Sharpe and Sortino use them with a zero risk-free rate; profit factor is the sum
of winning trade returns over the sum of losing ones (in %, not cash); "Avg. Trade" is the geometric
mean trade return. Cash-based figures (`avg_trade_pnl`, `profit_factor_cash`) are given as well.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from keel.backtest.calendar import (
    NS_PER_DAY,
    annual_periods_and_frequency,
    bars_per_year,
    one_bar_per_day,
)
from keel.domain.enums import Regime

if TYPE_CHECKING:
    from keel.backtest.runner import BacktestResult


def geometric_mean(returns: np.ndarray) -> float:
    """Geometric mean of simple returns (fractions); 0 when any return is −100 % or worse."""
    growth = np.nan_to_num(returns, nan=0.0) + 1
    if len(growth) == 0:
        return math.nan
    if np.any(growth <= 0):
        return 0.0
    return float(np.exp(np.log(growth).sum() / len(growth)) - 1)


def drawdown_durations(drawdown: np.ndarray, nanoseconds: np.ndarray) -> np.ndarray:
    """Durations (days) and depth of each drawdown episode: rows of (days, peak drawdown)."""
    recovered = np.unique(np.r_[np.flatnonzero(drawdown == 0), len(drawdown) - 1])
    previous = recovered[:-1]
    following = recovered[1:]
    episodes = following > previous + 1
    previous, following = previous[episodes], following[episodes]
    if len(previous) == 0:
        return np.empty((0, 2))
    days = (nanoseconds[following] - nanoseconds[previous]) / NS_PER_DAY
    # Between one episode's end and the next one's start drawdown is zero, so the max over
    # [start_k, start_k+1) is the depth of episode k.
    depth = np.maximum.reduceat(drawdown, previous)
    return np.column_stack([days, depth])


def compute_stats(result: BacktestResult) -> dict[str, Any]:
    """All headline statistics of `result` (percentages in %, money in account currency)."""
    equity = result.equity
    index = result.bars.index
    close = result.bars.close
    trades = result.trades
    peak = np.maximum.accumulate(equity)
    drawdown = 1 - equity / peak
    episodes = drawdown_durations(drawdown, result.bars.nanoseconds)

    pnl = np.array([t.pnl for t in trades])
    returns = np.array([t.return_pct for t in trades])
    exposed = np.zeros(len(equity), dtype=bool)
    for t in trades:
        exposed[t.entry_bar : t.exit_bar + 1] = True

    bars = result.bars
    nanoseconds = bars.nanoseconds
    annual_days, freq = annual_periods_and_frequency(nanoseconds)
    one_per_day = freq == "D" and one_bar_per_day(nanoseconds)
    if one_per_day:
        # Resampling a series with one bar per calendar day at midnight changes nothing.
        with np.errstate(divide="ignore", invalid="ignore"):
            day_returns = equity[1:] / equity[:-1] - 1
        day_returns = day_returns[~np.isnan(day_returns)]
    else:
        daily = pd.Series(equity, index=index).resample(freq).last().dropna()
        day_returns = daily.pct_change().dropna().to_numpy()
    gmean_day = geometric_mean(day_returns) if len(day_returns) else 0.0
    annual_return = (1 + gmean_day) ** annual_days - 1
    variance = float(np.var(day_returns, ddof=1)) if len(day_returns) > 1 else math.nan
    volatility = (
        math.sqrt(
            max(
                0.0,
                (variance + (1 + gmean_day) ** 2) ** annual_days
                - (1 + gmean_day) ** (2 * annual_days),
            )
        )
        if not math.isnan(variance)
        else math.nan
    )
    years = float(nanoseconds[-1] - nanoseconds[0]) / NS_PER_DAY / 365.25
    downside = (
        math.sqrt(float(np.mean(np.clip(day_returns, None, 0) ** 2)))
        if len(day_returns)
        else math.nan
    )
    max_dd = float(np.nan_to_num(drawdown.max()))
    warmup = max(0, result.start - 1)
    wins, losses = returns[returns > 0].sum(), abs(returns[returns < 0].sum())
    cash_wins, cash_losses = pnl[pnl > 0].sum(), abs(pnl[pnl < 0].sum())
    count = len(trades)
    pnl_std = float(np.std(pnl, ddof=1)) if count > 1 else math.nan

    stats: dict[str, Any] = {
        "start": index[0].isoformat(),
        "end": index[-1].isoformat(),
        "duration_days": float(nanoseconds[-1] - nanoseconds[0]) / NS_PER_DAY,
        "exposure_pct": float(exposed.mean() * 100),
        "final_equity": float(equity[-1]),
        "peak_equity": float(equity.max()),
        "commissions": float(sum(t.commission for t in trades)),
        "return_pct": float((equity[-1] - equity[0]) / equity[0] * 100),
        "buy_hold_return_pct": float((close[-1] - close[warmup]) / close[warmup] * 100),
        "return_ann_pct": annual_return * 100,
        "volatility_ann_pct": volatility * 100,
        "cagr_pct": ((equity[-1] / equity[0]) ** (1 / years) - 1) * 100 if years else math.nan,
        "sharpe": _ratio(annual_return * 100, volatility * 100),
        "sortino": _ratio(annual_return, downside * math.sqrt(annual_days)),
        "calmar": _ratio(annual_return, max_dd),
        "max_drawdown_pct": -max_dd * 100,
        "avg_drawdown_pct": -float(episodes[:, 1].mean()) * 100 if len(episodes) else math.nan,
        "max_drawdown_duration_days": float(episodes[:, 0].max()) if len(episodes) else math.nan,
        "trade_count": count,
        "win_rate_pct": float((pnl > 0).mean() * 100) if count else math.nan,
        "best_trade_pct": float(returns.max() * 100) if count else math.nan,
        "worst_trade_pct": float(returns.min() * 100) if count else math.nan,
        "avg_trade_pct": geometric_mean(returns) * 100 if count else math.nan,
        "avg_trade_pnl": float(pnl.mean()) if count else math.nan,
        "expectancy_pct": float(returns.mean() * 100) if count else math.nan,
        "profit_factor": _ratio(wins, losses),
        "profit_factor_cash": _ratio(cash_wins, cash_losses),
        "sqn": _ratio(math.sqrt(count) * float(pnl.mean()), pnl_std) if count else math.nan,
        "open_position": result.open_position,
    }
    stats["regimes"] = regime_breakdown(result)
    return stats


def _ratio(numerator: float, denominator: float) -> float:
    if not denominator or math.isnan(denominator):
        return math.nan
    return float(numerator / denominator)


def regime_breakdown(result: BacktestResult) -> dict[str, dict[str, float]]:
    """Per volatility regime: compounded return (%), annualised Sharpe, trades and their win rate.

    A bar's return is attributed to the regime known at the previous close (no look-ahead); a
    trade to the regime of its entry bar.
    """
    equity = result.equity
    with np.errstate(divide="ignore", invalid="ignore"):
        bar_returns = equity[1:] / equity[:-1] - 1
    bar_returns = np.nan_to_num(bar_returns, nan=0.0, posinf=0.0, neginf=0.0)
    labels = result.regimes[:-1]
    per_year = bars_per_year(result.bars.nanoseconds)
    entry_regimes = np.array([result.regimes[t.entry_bar] for t in result.trades], dtype=int)
    trade_pnl = np.array([t.pnl for t in result.trades])
    breakdown: dict[str, dict[str, float]] = {}
    for regime in Regime:
        mask = labels == regime
        chosen = bar_returns[mask]
        std = float(chosen.std(ddof=1)) if len(chosen) > 1 else math.nan
        in_regime = trade_pnl[entry_regimes == regime]
        breakdown[regime.name] = {
            "bars": int(mask.sum()),
            "return_pct": float((np.prod(1 + chosen) - 1) * 100) if len(chosen) else 0.0,
            "sharpe": _ratio(float(chosen.mean()) * math.sqrt(per_year), std)
            if len(chosen)
            else math.nan,
            "trades": len(in_regime),
            "win_rate_pct": float((in_regime > 0).mean() * 100) if len(in_regime) else math.nan,
        }
    return breakdown
