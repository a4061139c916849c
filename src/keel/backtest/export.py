"""JSON export of a backtest: the reporting boundary where floats become exact money.

Shape (external tooling relies on these names)::

    {"stats": {..., "final_equity", "return_pct", "trade_count", "sharpe", "max_drawdown_pct"},
     "trades": [{"entry_time", "exit_time", "entry_price", "exit_price", "size", "pnl"}, ...]}

Money is rounded to the cent and prices to the price grid through `keel.domain.money`; JSON has
no NaN, so undefined ratios are null.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from keel.domain.money import to_money, to_price

if TYPE_CHECKING:
    from keel.backtest.runner import BacktestResult

MONEY_KEYS = frozenset({"final_equity", "peak_equity", "commissions", "avg_trade_pnl"})
MAX_CURVE_POINTS = 2000


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None
        return int(value) if isinstance(value, int) else number
    return value


def trade_rows(result: BacktestResult) -> list[dict[str, Any]]:
    """The closed trades as JSON-ready rows (ISO times, prices on the grid, pnl to the cent)."""
    index = result.bars.index
    return [
        {
            "entry_time": index[trade.entry_bar].isoformat(),
            "exit_time": index[trade.exit_bar].isoformat(),
            "entry_price": float(to_price(trade.entry_price)),
            "exit_price": float(to_price(trade.exit_price)),
            "size": trade.size,
            "pnl": float(to_money(trade.pnl)),
        }
        for trade in result.trades
    ]


def result_to_dict(result: BacktestResult) -> dict[str, Any]:
    """The `{"stats": ..., "trades": [...]}` document of `result`."""
    stats = dict(result.stats)
    for key in MONEY_KEYS & set(stats):
        if not math.isnan(stats[key]):
            stats[key] = float(to_money(stats[key]))
    stats["strategy"] = result.strategy
    stats["params"] = dict(result.params)
    return {
        "stats": _clean(stats),
        "trades": _clean(trade_rows(result)),
        "equity": equity_curve(result),
    }


def equity_curve(
    result: BacktestResult, max_points: int = MAX_CURVE_POINTS
) -> list[dict[str, Any]]:
    """Equity and drawdown (a fraction ≤ 0 below the running peak) at up to `max_points` bars,
    evenly spread, always with the last bar: enough for a chart, small enough to send."""
    equity = np.asarray(result.equity, dtype=float)
    if len(equity) == 0:
        return []
    keep = (
        np.arange(len(equity))
        if len(equity) <= max_points
        else np.unique(
            np.r_[np.linspace(0, len(equity) - 1, max_points).astype(int), len(equity) - 1]
        )
    )
    drawdown = equity / np.maximum.accumulate(equity) - 1.0
    index = result.bars.index
    return [
        {
            "time": index[i].isoformat(),
            "equity": round(float(equity[i]), 2),
            "drawdown": round(float(drawdown[i]), 6),
        }
        for i in keep
    ]


def write_json(result: BacktestResult, path: str | Path) -> Path:
    """Write `result_to_dict(result)` to `path` (UTF-8, indented); returns the path."""
    target = Path(path)
    target.write_text(json.dumps(result_to_dict(result), indent=2), encoding="utf-8")
    return target
