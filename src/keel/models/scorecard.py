"""The scorecard's figures: accuracy and friends, calibration, coverage, win rate with its
Wilson interval, and an exact test of each model against always-up.

All figures are computed from out-of-sample probabilities and labels (1 up, 0 down); percentages
are in % (54.5 = 54.5 %). A group with fewer than `min_days` days gets "insufficient data".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binomtest, norm
from sklearn.metrics import balanced_accuracy_score, brier_score_loss, log_loss, roc_auc_score

INSUFFICIENT = "insufficient data"
CALIBRATION_BINS = 10
Z_95 = float(norm.ppf(0.975))


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a proportion (as fractions); (nan, nan) without trials."""
    if trials == 0:
        return (math.nan, math.nan)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (centre - half, centre + half)


def calibration_table(probability: np.ndarray, label: np.ndarray) -> list[dict[str, float]]:
    """Ten equal-width bins of P(up): days, mean predicted P(up) and share of up days (in %)."""
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.clip(np.digitize(probability, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    rows = []
    for b in range(CALIBRATION_BINS):
        chosen = bins == b
        if not chosen.any():
            continue
        rows.append(
            {
                "from_pct": float(edges[b] * 100),
                "to_pct": float(edges[b + 1] * 100),
                "days": int(chosen.sum()),
                "predicted_up_pct": float(probability[chosen].mean() * 100),
                "observed_up_pct": float(label[chosen].mean() * 100),
            }
        )
    return rows


def versus_always_up(probability: np.ndarray, label: np.ndarray) -> dict[str, Any]:
    """Exact McNemar test: on days where exactly one of (model, always-up) is right, is the
    model right more or less often than half the time? Two-sided p-value."""
    model_right = (probability >= 0.5) == (label == 1)
    up_right = label == 1
    model_only = int((model_right & ~up_right).sum())
    up_only = int((~model_right & up_right).sum())
    discordant = model_only + up_only
    p_value = binomtest(model_only, discordant, 0.5).pvalue if discordant else 1.0
    return {
        "model_right_always_up_wrong": model_only,
        "always_up_right_model_wrong": up_only,
        "p_value": float(p_value),
        "significant_at_5pct": bool(p_value < 0.05),
    }


@dataclass(frozen=True)
class Group:
    """One cell of the scorecard: a model's out-of-sample days in one regime (or all)."""

    probability: np.ndarray
    label: np.ndarray
    threshold: np.ndarray
    """The optimizer's confidence threshold in force on each day (fraction)."""


def group_figures(group: Group, min_days: int, compare: bool) -> dict[str, Any]:
    """Every figure of one cell, or the day count and "insufficient data"."""
    p, y, thr = group.probability, group.label, group.threshold
    days = len(p)
    if days < min_days:
        return {"days": days, "status": INSUFFICIENT}
    called_up = p >= 0.5
    right = called_up == (y == 1)
    both_classes = len(np.unique(y)) == 2
    confidence = np.maximum(p, 1 - p)
    taken = confidence >= thr
    wins = int(right[taken].sum())
    trades = int(taken.sum())
    low, high = wilson_interval(wins, trades)
    figures: dict[str, Any] = {
        "days": days,
        "status": "ok",
        "up_days_pct": float(y.mean() * 100),
        "accuracy_pct": float(right.mean() * 100),
        "accuracy_ci95_pct": [v * 100 for v in wilson_interval(int(right.sum()), days)],
        "balanced_accuracy_pct": float(balanced_accuracy_score(y, called_up) * 100)
        if both_classes
        else math.nan,
        "auc": float(roc_auc_score(y, p)) if both_classes and np.ptp(p) > 0 else 0.5,
        "log_loss": float(log_loss(y, np.clip(p, 1e-12, 1 - 1e-12), labels=[0, 1])),
        "brier": float(brier_score_loss(y, p)),
        "coverage_pct": float(taken.mean() * 100),
        "trades": trades,
        "win_rate_pct": float(wins / trades * 100) if trades else math.nan,
        "win_rate_ci95_pct": [low * 100, high * 100],
        "calibration": calibration_table(p, y),
    }
    if compare:
        figures["versus_always_up"] = versus_always_up(p, y)
    return figures
