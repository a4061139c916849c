"""The scorecard as canonical JSON (byte-identical for the same input) and as Markdown.

Floats are rounded to 6 decimals and NaN written as null, keys sorted, so two runs on the same
data and seed give the same bytes. The Markdown is what `docs/models.md` pastes.
"""

from __future__ import annotations

import json
import math
from typing import Any

from keel.domain.enums import Regime
from keel.models.circuit import CircuitConfig, draw_circuit
from keel.models.scorecard import INSUFFICIENT
from keel.models.walkforward import MODEL_NAMES

DECIMALS = 6


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, DECIMALS) + 0.0
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def to_json(card: dict[str, Any]) -> str:
    """Canonical JSON text of a scorecard (sorted keys, rounded floats, NaN as null)."""
    return json.dumps(_clean(card), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _pct(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def _interval(values: Any) -> str:
    if not values or any(v is None or math.isnan(v) for v in values):
        return ""
    return f" [{values[0]:.1f}, {values[1]:.1f}]"


def _cell_row(model: str, group: str, cell: dict[str, Any]) -> str:
    if cell.get("status") == INSUFFICIENT:
        return f"| {model} | {group} | {cell['days']} | {INSUFFICIENT} | | | | | | | |"
    versus = cell.get("versus_always_up")
    p_value = "–"
    if versus:
        better = versus["model_right_always_up_wrong"] > versus["always_up_right_model_wrong"]
        p_value = f"{versus['p_value']:.3f} ({'better' if better else 'worse'})"
    return (
        f"| {model} | {group} | {cell['days']} | {_pct(cell['accuracy_pct'])}"
        f"{_interval(cell['accuracy_ci95_pct'])} | {_pct(cell['balanced_accuracy_pct'])} | "
        f"{cell['auc']:.3f} | {cell['log_loss']:.4f} | {cell['brier']:.4f} | "
        f"{_pct(cell['coverage_pct'])} | {_pct(cell['win_rate_pct'])}"
        f"{_interval(cell['win_rate_ci95_pct'])} ({cell['trades']}) | {p_value} |"
    )


def to_markdown(card: dict[str, Any]) -> str:
    """The scorecard as Markdown tables (overall and per regime, targets, backtests)."""
    # JSON sorts the keys; the tables list the models from the baseline to the hybrid.
    card = {**card, "models": {m: card["models"][m] for m in MODEL_NAMES if m in card["models"]}}
    lines = [
        f"**{card['symbol']}**, out of sample {card['scored_from']} … {card['scored_to']} "
        f"({card['scored_days']:,} days, {card['refits']} refits, period {card['refit_period']}), "
        f"seed {card['seed']}. Days per regime: "
        + ", ".join(f"{r.name} {card['regime_days'][r.name]:,}" for r in Regime)
        + ".",
        "",
        "| model | regime | days | accuracy % [95 %] | balanced acc. % | AUC | log loss | Brier | "
        "coverage % | win rate % [95 %] (trades) | p vs always-up (better or worse) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model, entry in card["models"].items():
        lines.append(_cell_row(model, "all", entry["overall"]))
    for regime in Regime:
        for model, entry in card["models"].items():
            lines.append(_cell_row(model, regime.name, entry["regimes"][regime.name]))
    lines += [
        "",
        "The original design's targets, measured:",
        "",
        "| model | ≥ 60 % win rate in every regime | ≤ 10 points best − worst regime | "
        "73.1 % win rate in high volatility |",
        "|---|---|---|---|",
    ]
    for model, entry in card["models"].items():
        t = entry["targets"]
        every = t["win_rate_every_regime"]
        rates = ", ".join(
            f"{k} {_pct(v) if not isinstance(v, str) else 'n/a'}"
            for k, v in every["measured"].items()
        )
        spread = t["regime_spread"]
        claim = t["claimed_high_volatility_win_rate"]
        measured = claim["measured_pct"]
        claim_text = (
            claim["result"]
            if isinstance(measured, str)
            else f"{claim['result']} ({measured:.1f}{_interval(claim['ci95_pct'])})"
        )
        points = spread["measured_points"]
        spread_text = (
            spread["result"]
            if points is None or math.isnan(points)
            else f"{spread['result']} ({points:.1f})"
        )
        lines.append(f"| {model} | {every['result']} ({rates}) | {spread_text} | {claim_text} |")
    hold = card["buy_and_hold"]
    lines += [
        "",
        "Backtests of the signals over the same days (next-open fills, 0.05 % commission, "
        "0.02 % spread), beside buy and hold:",
        "",
        "| strategy | return % | annual return % | Sharpe | max drawdown % | trades | time in market % |",
        "|---|---|---|---|---|---|---|",
        _backtest_row("buy and hold", hold),
    ]
    for model, entry in card["models"].items():
        if "backtest" in entry:
            lines.append(
                _backtest_row(f"{model}, confident calls", entry["backtest"]["confident_calls"])
            )
            lines.append(_backtest_row(f"{model}, every call", entry["backtest"]["every_call"]))
    circuit = card["circuit"]
    config = CircuitConfig(qubits=circuit["qubits"], layers=circuit["layers"])
    lines += [
        "",
        f"The circuit ({config.qubits} qubits, {config.layers} layers) as PennyLane draws it: each "
        "day's angles go into the RY gates, the trained weights into the Rot gates:",
        "",
        "```text",
        draw_circuit(config),
        "```",
    ]
    return "\n".join(lines) + "\n"


def _backtest_row(label: str, stats: dict[str, Any]) -> str:
    return (
        f"| {label} | {_pct(stats['return_pct'])} | {_pct(stats['return_ann_pct'])} | "
        f"{_pct(stats['sharpe'], 2)} | {_pct(stats['max_drawdown_pct'])} | {stats['trade_count']} | "
        f"{_pct(stats['exposure_pct'])} |"
    )
