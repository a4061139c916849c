"""Walk-forward evaluation of every member and of the hybrid, out of sample.

Each member is refitted at every refit date on all labelled days before it (expanding window,
the label horizon as a gap, `keel.models.splits`) and predicts the days up to the next refit.
Members start predicting at `first_validation`, two years before the scored period: those early
out-of-sample predictions are the first validation days of the hybrid, whose stacker for a test
window is fitted on the members' out-of-sample predictions of the days before it only (their
labels known before the window starts). Every (member, refit) fit is one task for an `Executor`
(`keel.backtest.parallel`: serial, a local process pool, or Ray), the same path sweeps use; the
result does not depend on which one ran it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from keel.backtest.parallel import Executor, SerialExecutor
from keel.domain.enums import Regime
from keel.models.circuit import CircuitConfig, QuantumMember
from keel.models.features import Dataset, LabelConfig
from keel.models.hybrid import Stacker
from keel.models.kernel import QuantumKernelMember
from keel.models.members import AlwaysUp, BoostingMember, LogisticMember, Member
from keel.models.splits import Split, walk_forward_splits

MEMBER_NAMES = ("logistic", "boosting", "quantum")
"""The hybrid's members."""
SCORED_ALONE = ("quantum-kernel",)
"""Models evaluated beside the members but not stacked into the hybrid."""
MODEL_NAMES = ("always-up", *MEMBER_NAMES, *SCORED_ALONE, "hybrid")
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class EvaluationConfig:
    """What the walk-forward runs: dates (inclusive), refit period, seed, labels, circuit."""

    symbol: str = "SPX"
    first_validation: str = "2002-01-01"
    first_test: str = "2004-01-01"
    last_test: str | None = None
    refit: str = "YS"
    seed: int = 0
    labels: LabelConfig = field(default_factory=LabelConfig)
    circuit: CircuitConfig = field(default_factory=CircuitConfig)
    min_regime_days: int = 100
    """A regime with fewer scored days than this gets "insufficient data" instead of figures;
    the hybrid's stacker also needs this many validation days to fit a regime of its own."""


def make_member(name: str, seed: int, circuit: CircuitConfig | None = None) -> Member:
    """A fresh, unfitted member by name."""
    if name == "always-up":
        return AlwaysUp(seed)
    if name == "logistic":
        return LogisticMember(seed)
    if name == "boosting":
        return BoostingMember(seed)
    if name == "quantum":
        return QuantumMember(seed, circuit)
    if name == "quantum-kernel":
        return QuantumKernelMember(seed)
    raise ValueError(f"unknown model {name!r}")


@dataclass
class WalkForward:
    """Out-of-sample P(up) per model and bar (NaN where a model made no prediction)."""

    dataset: Dataset
    config: EvaluationConfig
    splits: list[Split]
    predictions: dict[str, np.ndarray]
    stacking_weights: dict[str, dict[str, dict[str, float]]]
    """Per test window start date: the hybrid's weights per regime and member."""

    @property
    def index(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.dataset.features.index)

    def scored(self) -> np.ndarray:
        """Bars that count in the scorecard: tested, from `first_test`, with a label."""
        first = self.index.searchsorted(pd.Timestamp(self.config.first_test))
        mask = ~np.isnan(self.predictions["hybrid"]) & ~np.isnan(self.labels)
        mask[:first] = False
        return mask

    @property
    def labels(self) -> np.ndarray:
        return self.dataset.labels["label"].to_numpy(float)

    @property
    def regimes(self) -> np.ndarray:
        return self.dataset.features["regime"].to_numpy(float)


def training_rows(dataset: Dataset, split: Split) -> np.ndarray:
    """Bars a member trains on for `split`: warm features, a label, and that label's closing
    price (bar t + its horizon) before the test window starts."""
    labels = dataset.labels["label"].to_numpy(float)
    horizons = dataset.labels["horizon"].to_numpy(int)
    rows = np.arange(split.train_stop)
    usable = (
        dataset.warm[rows] & ~np.isnan(labels[rows]) & (rows + horizons[rows] < split.test_start)
    )
    return rows[usable]


def _fit_predict(task: tuple[Any, ...]) -> tuple[str, int, np.ndarray]:
    name, number, seed, circuit, features, labels, train_rows, test_rows = task
    member = make_member(name, seed, circuit)
    member.fit(features[train_rows], labels[train_rows])
    return name, number, member.predict_up(features[test_rows])


def run_walk_forward(
    dataset: Dataset,
    config: EvaluationConfig | None = None,
    *,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    models: tuple[str, ...] = ("always-up", *MEMBER_NAMES, *SCORED_ALONE),
) -> WalkForward:
    """Fit and predict every model of `models` at every refit, then stack the members."""
    config = config or EvaluationConfig()
    executor = executor or SerialExecutor()
    features, labels = dataset.matrix, dataset.labels["label"].to_numpy(float)
    splits = walk_forward_splits(
        pd.DatetimeIndex(dataset.features.index),
        config.first_validation,
        gap=config.labels.max_horizon,
        refit=config.refit,
        last_test=config.last_test,
    )
    tasks = []
    for number, split in enumerate(splits):
        train_rows = training_rows(dataset, split)
        test_rows = split.test_start + np.flatnonzero(
            dataset.warm[split.test_start : split.test_stop]
        )
        for name in models:
            tasks.append(
                (name, number, config.seed, config.circuit, features, labels, train_rows, test_rows)
            )
    predictions = {name: np.full(len(labels), np.nan) for name in models}
    total = len(tasks) + 1
    for done, (name, number, values) in enumerate(executor.map(_fit_predict, tasks), start=1):
        split = splits[number]
        rows = split.test_start + np.flatnonzero(dataset.warm[split.test_start : split.test_stop])
        predictions[name][rows] = values
        if progress:
            progress(done, total)
    members = tuple(m for m in MEMBER_NAMES if m in models)
    predictions["hybrid"], weights = _stack(dataset, config, splits, predictions, members)
    if progress:
        progress(total, total)
    return WalkForward(dataset, config, splits, predictions, weights)


def _stack(
    dataset: Dataset,
    config: EvaluationConfig,
    splits: list[Split],
    predictions: dict[str, np.ndarray],
    members: tuple[str, ...],
) -> tuple[np.ndarray, dict[str, dict[str, dict[str, float]]]]:
    labels = dataset.labels["label"].to_numpy(float)
    regimes = dataset.features["regime"].to_numpy(float)
    hybrid = np.full(len(labels), np.nan)
    weights: dict[str, dict[str, dict[str, float]]] = {}
    if not members:  # e.g. a model scored alone: nothing to stack
        return hybrid, weights
    stacked = np.column_stack([predictions[m] for m in members])
    known = ~np.isnan(stacked).any(axis=1) & ~np.isnan(labels) & ~np.isnan(regimes)
    index = dataset.features.index
    first_test = index.searchsorted(pd.Timestamp(config.first_test))
    for split in splits:
        if split.test_start < first_test:
            continue
        # Validation: out-of-sample member predictions whose labels closed before the window.
        validation = np.flatnonzero(known[: split.train_stop])
        if len(validation) < config.min_regime_days:
            continue
        stacker = Stacker(members, config.min_regime_days).fit(
            stacked[validation], regimes[validation], labels[validation]
        )
        window = np.arange(split.test_start, split.test_stop)
        rows = window[~np.isnan(stacked[window]).any(axis=1) & ~np.isnan(regimes[window])]
        hybrid[rows] = stacker.predict_up(stacked[rows], regimes[rows])
        weights[index[split.test_start].date().isoformat()] = stacker.weights()
    return hybrid, weights


def regime_names(codes: np.ndarray) -> list[str]:
    """Regime names for codes (NaN → "warming up")."""
    return [Regime(int(c)).name if not np.isnan(c) else "warming up" for c in codes]
