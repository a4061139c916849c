"""The whole scorecard of one symbol: walk-forward, figures per regime, targets, backtests.

`evaluate(bars, config)` returns plain data (dicts, lists, numbers, strings) that
`keel.models.report` writes as JSON or Markdown; the same input gives the same output bit for
bit (seeded members, no clock).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.parallel import Executor
from keel.domain.enums import Regime
from keel.models.features import MODEL_FEATURES, build_dataset
from keel.models.scorecard import INSUFFICIENT, Group, group_figures
from keel.models.trading import (
    backtest_targets,
    buy_and_hold,
    confident_targets,
    every_call_targets,
)
from keel.models.walkforward import (
    MODEL_NAMES,
    EvaluationConfig,
    ProgressCallback,
    WalkForward,
    run_walk_forward,
)
from keel.risk.optimizer import parameter_table

CLAIMED_HIGH_VOL_WIN_RATE = 73.1
TARGET_WIN_RATE = 60.0
TARGET_SPREAD_POINTS = 10.0
MIN_TRADES = 30
"""A win rate over fewer trades than this is "insufficient data" for the targets."""


def confidence_thresholds(bars: pd.DataFrame, regimes: pd.Series) -> np.ndarray:
    """The optimizer's confidence threshold in force on each bar for that bar's regime."""
    table = parameter_table(bars, regimes).frame
    out = np.full(len(bars), np.nan)
    if table.empty:
        return out
    starts = pd.DatetimeIndex(sorted(set(table.index.get_level_values("effective_from"))))
    position = starts.searchsorted(pd.DatetimeIndex(bars.index), side="right") - 1
    codes = regimes.to_numpy(float)
    lookup: dict[tuple[pd.Timestamp, Regime], float] = {}
    column = table["confidence_threshold"]
    for (start, name), value in zip(column.index.tolist(), column.to_numpy(float), strict=True):
        lookup[(pd.Timestamp(start), Regime[str(name)])] = float(value)
    for i, (p, code) in enumerate(zip(position, codes, strict=True)):
        if p >= 0 and not math.isnan(code):
            out[i] = lookup[(pd.Timestamp(starts[int(p)]), Regime(int(code)))]
    return out


def _every_regime_result(rates: dict[str, float], regimes: int) -> str:
    """Fail as soon as one measured regime is below target; pass only when all are measured."""
    if any(rate < TARGET_WIN_RATE for rate in rates.values()):
        return "fail"
    return "pass" if len(rates) == regimes else INSUFFICIENT


def _targets(cells: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The original design's targets, pass or fail beside the measured figures."""
    measured = {
        name: cell
        for name, cell in cells.items()
        if cell.get("status") == "ok" and cell["trades"] >= MIN_TRADES
    }
    rates = {name: cell["win_rate_pct"] for name, cell in measured.items()}
    high = cells.get(Regime.HIGH.name, {})
    high_ok = high.get("status") == "ok" and high.get("trades", 0) >= MIN_TRADES
    every = {
        "target": f"win rate ≥ {TARGET_WIN_RATE:g} % in every regime",
        "measured": {name: rates.get(name, INSUFFICIENT) for name in cells},
        "result": _every_regime_result(rates, len(cells)),
    }
    spread = max(rates.values()) - min(rates.values()) if len(rates) >= 2 else math.nan
    return {
        "win_rate_every_regime": every,
        "regime_spread": {
            "target": f"≤ {TARGET_SPREAD_POINTS:g} points between the best and worst regime",
            "measured_points": spread,
            "result": ("pass" if spread <= TARGET_SPREAD_POINTS else "fail")
            if not math.isnan(spread)
            else INSUFFICIENT,
        },
        "claimed_high_volatility_win_rate": {
            "target": f"the claimed {CLAIMED_HIGH_VOL_WIN_RATE} % win rate in high volatility",
            "measured_pct": high.get("win_rate_pct") if high_ok else INSUFFICIENT,
            "ci95_pct": high.get("win_rate_ci95_pct") if high_ok else None,
            "result": ("pass" if high["win_rate_pct"] >= CLAIMED_HIGH_VOL_WIN_RATE else "fail")
            if high_ok
            else INSUFFICIENT,
        },
    }


def scorecard(walk: WalkForward, bars: pd.DataFrame) -> dict[str, Any]:
    """Per model: figures overall and per regime, targets, and a backtest of its signals."""
    config = walk.config
    scored = walk.scored()
    regimes = walk.regimes
    thresholds = confidence_thresholds(bars, walk.dataset.features["regime"])
    labels = walk.labels
    first, last = int(np.flatnonzero(scored)[0]), int(np.flatnonzero(scored)[-1])
    test_bars = bars.iloc[first : last + 1]
    models: dict[str, Any] = {}
    for name in (m for m in MODEL_NAMES if m in walk.predictions):
        probability = walk.predictions[name]
        groups = {"ALL": scored}
        for regime in Regime:
            groups[regime.name] = scored & (regimes == int(regime))
        cells = {
            key: group_figures(
                Group(probability[mask], labels[mask], thresholds[mask]),
                config.min_regime_days,
                compare=name != "always-up",
            )
            for key, mask in groups.items()
        }
        window = probability[first : last + 1]
        entry: dict[str, Any] = {"overall": cells.pop("ALL"), "regimes": cells}
        entry["targets"] = _targets(cells)
        if name != "always-up":
            window = np.nan_to_num(window, nan=0.5)
            entry["backtest"] = {
                "confident_calls": backtest_targets(
                    test_bars, confident_targets(window, thresholds[first : last + 1]), name
                ),
                "every_call": backtest_targets(test_bars, every_call_targets(window), name),
            }
        models[name] = entry
    return {
        "symbol": config.symbol,
        "scored_from": bars.index[first].date().isoformat(),
        "scored_to": bars.index[last].date().isoformat(),
        "scored_days": int(scored.sum()),
        "refits": sum(1 for s in walk.splits if s.test_start >= first),
        "refit_period": config.refit,
        "label_horizon_days": {r.name: h for r, h in config.labels.horizon_days.items()},
        "dead_zone": config.labels.dead_zone,
        "seed": config.seed,
        "features": list(MODEL_FEATURES),
        "circuit": {
            "qubits": config.circuit.qubits,
            "layers": config.circuit.layers,
            "steps": config.circuit.steps,
            "batch": config.circuit.batch,
        },
        "min_regime_days": config.min_regime_days,
        "regime_days": {r.name: int((scored & (regimes == int(r))).sum()) for r in Regime},
        "models": models,
        "buy_and_hold": buy_and_hold(test_bars),
        "stacking_weights": walk.stacking_weights,
    }


def evaluate(
    bars: pd.DataFrame,
    config: EvaluationConfig | None = None,
    *,
    vix: pd.Series | None = None,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Walk-forward every model over daily `bars` of `config.symbol` and build its scorecard."""
    config = config or EvaluationConfig()
    dataset = build_dataset(config.symbol, bars, config.labels, vix)
    walk = run_walk_forward(dataset, config, executor=executor, progress=progress)
    return scorecard(walk, bars)
