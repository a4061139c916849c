"""The hybrid's serving path: its fitted members and stackers as plain arrays, one day at a time.

A signal is one row in, one probability out. scikit-learn spends most of such a call checking
its input (array conversion, finiteness, dataframe detection: seven checks per signal, ~1 ms of
CPU together) and PennyLane building a tape; the arithmetic itself is a few dot products, 150
small trees and a 16-amplitude statevector. Here the same fitted numbers are copied out once
(`ServingForm.of`) and evaluated with NumPy:

- logistic regression and the stackers: standardise, dot product, sigmoid;
- the boosted trees: every tree's nodes in one table, walked level by level for all trees at
  once (a missing value goes where the tree learned to send it), summed onto the baseline, then
  the Platt calibration;
- the circuit: its scaler and PCA as one affine map, then `keel.models.circuit.CompiledCircuit`.

The results equal the fitted objects' own predictions to 1e-12 (tests); walk-forward evaluation
keeps using the objects themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from keel.domain.enums import Regime
from keel.models.circuit import CompiledCircuit, QuantumMember
from keel.models.members import BoostingMember, LogisticMember, Member

if TYPE_CHECKING:
    from keel.models.hybrid import Stacker

Predict = Callable[[np.ndarray], float]
"""P(up) of one day's feature row (1-D)."""


def _sigmoid(value: float) -> float:
    return float(1.0 / (1.0 + np.exp(-value)))


@dataclass(frozen=True)
class Linear:
    """A logistic regression behind an optional standard scaler: P = σ(coef · z + intercept)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def of(cls, model: LogisticRegression, scaler: StandardScaler | None = None) -> Linear:
        width = model.coef_.shape[1]
        mean = np.zeros(width) if scaler is None else np.asarray(scaler.mean_, dtype=float)
        scale = np.ones(width) if scaler is None else np.asarray(scaler.scale_, dtype=float)
        return cls(mean, scale, model.coef_[0].astype(float), float(model.intercept_[0]))

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Coefficient × standardised value, per feature (log-odds each adds)."""
        return np.asarray((row - self.mean) / self.scale * self.coef)

    def __call__(self, row: np.ndarray) -> float:
        return _sigmoid(float(self.contributions(row).sum()) + self.intercept)


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees (numeric splits) as one node table; Platt-calibrated output."""

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    depth: int
    baseline: float
    slope: float
    intercept: float

    @classmethod
    def of(cls, member: BoostingMember) -> Trees:
        trees: HistGradientBoostingClassifier = member.trees
        tables, roots, offset = [], [], 0
        for (predictor,) in trees._predictors:  # one tree per iteration (binary)
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not served here")
            tables.append(nodes)
            roots.append(offset)
            offset += len(nodes)
        nodes = np.concatenate(tables)
        shift = np.repeat(np.array(roots), [len(t) for t in tables])
        return cls(
            roots=np.array(roots),
            feature=nodes["feature_idx"].astype(np.intp),
            threshold=nodes["num_threshold"].astype(float),
            missing_left=nodes["missing_go_to_left"].astype(bool),
            left=nodes["left"].astype(np.intp) + shift,
            right=nodes["right"].astype(np.intp) + shift,
            leaf=nodes["is_leaf"].astype(bool),
            value=nodes["value"].astype(float),
            depth=int(nodes["depth"].max()),
            baseline=float(np.ravel(trees._baseline_prediction)[0]),
            slope=member.slope,
            intercept=member.intercept,
        )

    def raw(self, row: np.ndarray) -> float:
        """The trees' summed score (`decision_function`) for one row."""
        at = self.roots
        for _ in range(self.depth):
            x = row[self.feature[at]]
            go_left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
            at = np.where(self.leaf[at], at, np.where(go_left, self.left[at], self.right[at]))
        return self.baseline + float(self.value[at].sum())

    def __call__(self, row: np.ndarray) -> float:
        return _sigmoid(self.slope * self.raw(row) + self.intercept)


@dataclass(frozen=True)
class Circuit:
    """The circuit member: scaler and PCA folded into one affine map to angles, then the
    compiled circuit and the readout σ(scale · ⟨Z⟩ + bias)."""

    shift: np.ndarray
    projection: np.ndarray
    compiled: CompiledCircuit
    readout: np.ndarray

    @classmethod
    def of(cls, member: QuantumMember) -> Circuit:
        scaler, reducer = member.scaler, member.reducer
        spread = np.sqrt(reducer.explained_variance_)
        # arctan(((x − μ)/σ − m) · Cᵀ / spread): the projection folds σ, C and spread together.
        projection = (reducer.components_ / spread[:, None]).T / scaler.scale_[:, None]
        shift = scaler.mean_ + reducer.mean_ * scaler.scale_
        compiled = member.compiled or CompiledCircuit(member.config.qubits, member.weights)
        return cls(shift, projection, compiled, np.asarray(member.readout, dtype=float))

    def __call__(self, row: np.ndarray) -> float:
        angles = np.arctan((row - self.shift) @ self.projection)
        expectation = float(self.compiled.expectation(angles.reshape(1, -1))[0])
        return _sigmoid(self.readout[0] * expectation + self.readout[1])


def predictor(member: Member) -> Predict:
    """The served form of a member (its own `predict_up` when it has no array form)."""
    if isinstance(member, LogisticMember):
        return Linear.of(member.pipeline[-1], member.pipeline[0])
    if isinstance(member, BoostingMember):
        return Trees.of(member)
    if isinstance(member, QuantumMember):
        return Circuit.of(member)
    return lambda row: float(member.predict_up(row.reshape(1, -1))[0])


@dataclass(frozen=True)
class StackerForm:
    """A stacker's regressions on member log-odds, per regime (the pooled one for the rest)."""

    members: tuple[str, ...]
    per_regime: Mapping[Regime, Linear]

    def __call__(self, votes: Mapping[str, float], regime: Regime) -> float:
        probabilities = np.clip([votes[m] for m in self.members], 1e-6, 1 - 1e-6)
        return self.per_regime[regime](np.log(probabilities / (1 - probabilities)))


def stacker_form(stacker: Stacker) -> StackerForm:
    return StackerForm(
        stacker.members, {regime: Linear.of(stacker.model_for(regime)) for regime in Regime}
    )


@dataclass(frozen=True)
class ServingForm:
    """Everything a signal evaluates, as arrays: members, both stackers, the explanation."""

    predictors: Mapping[str, Predict]
    stacker: StackerForm
    classical_stacker: StackerForm
    explainer: Linear | None
    """The logistic member's form, whose per-feature log-odds explain a signal."""

    @classmethod
    def of(
        cls, members: Mapping[str, Member], stacker: Stacker, classical_stacker: Stacker
    ) -> ServingForm:
        predictors = {name: predictor(member) for name, member in members.items()}
        explainer = predictors.get("logistic")
        return cls(
            predictors,
            stacker_form(stacker),
            stacker_form(classical_stacker),
            explainer if isinstance(explainer, Linear) else None,
        )
