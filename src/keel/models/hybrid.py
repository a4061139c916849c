"""The hybrid: members' probabilities stacked with weights per regime, and one explained signal.

**Stacking.** The stacker is a logistic regression on the members' log-odds, fitted on
*validation* predictions only: probabilities each member gave out of sample (in the walk-forward,
for days after its training window ended). One stacker per regime with at least
`min_regime_days` validation days, the pooled one for the others.

**Latency budget.** Serving one signal runs the classical members, then the circuit unless its
last measured time was over the budget; then a classical-only stacker (fitted on the same days)
decides, and the signal says so. The time comes from a timer the caller passes in (seconds,
monotonic): the core reads no clock of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

from keel.domain.enums import Regime
from keel.models.members import LogisticMember, Member

Timer = Callable[[], float]
"""Monotonic seconds (e.g. `time.perf_counter`), handed in by the caller."""

EPSILON = 1e-6


def log_odds(probabilities: np.ndarray) -> np.ndarray:
    clipped = np.clip(probabilities, EPSILON, 1 - EPSILON)
    return np.log(clipped / (1 - clipped))


@dataclass
class Stacker:
    """Per-regime logistic regressions on member log-odds (columns in `members` order)."""

    members: tuple[str, ...]
    min_regime_days: int = 100
    pooled: LogisticRegression | None = None
    per_regime: dict[Regime, LogisticRegression] = field(default_factory=dict)

    def fit(self, probabilities: np.ndarray, regimes: np.ndarray, labels: np.ndarray) -> Stacker:
        """`probabilities` [days, members] given out of sample; `regimes` codes; labels 1/0."""
        inputs = log_odds(probabilities)
        self.pooled = LogisticRegression(C=1.0).fit(inputs, labels.astype(int))
        self.per_regime = {}
        for regime in Regime:
            chosen = regimes == int(regime)
            enough = chosen.sum() >= self.min_regime_days
            if enough and len(np.unique(labels[chosen])) == 2:
                model = LogisticRegression(C=1.0).fit(inputs[chosen], labels[chosen].astype(int))
                self.per_regime[regime] = model
        return self

    def model_for(self, regime: Regime) -> LogisticRegression:
        assert self.pooled is not None, "fit the stacker first"
        return self.per_regime.get(regime, self.pooled)

    def predict_up(self, probabilities: np.ndarray, regimes: np.ndarray) -> np.ndarray:
        inputs = log_odds(probabilities)
        out = np.empty(len(inputs))
        for code in np.unique(regimes):
            rows = regimes == code
            out[rows] = self.model_for(Regime(int(code))).predict_proba(inputs[rows])[:, 1]
        return out

    def weights(self) -> dict[str, dict[str, float]]:
        """Each regime's weight per member (log-odds coefficients) and intercept."""
        table: dict[str, dict[str, float]] = {}
        for regime in Regime:
            model = self.model_for(regime)
            row = {m: float(c) for m, c in zip(self.members, model.coef_[0], strict=True)}
            row["intercept"] = float(model.intercept_[0])
            row["own_fit"] = float(regime in self.per_regime)
            table[regime.name] = row
        return table


@dataclass(frozen=True)
class Signal:
    """One explained signal: P(up), confidence = max(P, 1 − P), the call and why."""

    probability_up: float
    confidence: float
    direction: str
    regime: Regime
    votes: dict[str, float]
    weights: dict[str, float]
    top_features: list[tuple[str, float]]
    used_quantum: bool
    note: str


@dataclass
class HybridModel:
    """Fitted members and the stackers (with and without the circuit) for serving signals."""

    members: Mapping[str, Member]
    stacker: Stacker
    classical_stacker: Stacker
    feature_names: Sequence[str]
    latency_budget_seconds: float = 0.005
    quantum_name: str = "quantum"
    retry_after: int = 200
    """Signals served without the circuit after it was too slow, before it is tried again."""
    last_quantum_seconds: float | None = None
    skips_left: int = 0

    def signal(self, features: np.ndarray, regime: Regime, timer: Timer | None = None) -> Signal:
        """The signal for one day's feature row (1-D). Without a timer the circuit always runs."""
        row = features.reshape(1, -1)
        votes: dict[str, float] = {}
        for name, member in self.members.items():
            if name != self.quantum_name:
                votes[name] = float(member.predict_up(row)[0])
        too_slow = timer is not None and self.skips_left > 0
        note = ""
        if too_slow:
            self.skips_left -= 1
            stacker = self.classical_stacker
            last = (self.last_quantum_seconds or 0.0) * 1000
            note = (
                f"The quantum circuit was left out: it took {last:.1f} ms when last tried, more "
                f"than the {self.latency_budget_seconds * 1000:.1f} ms a signal may take, so the "
                "classical models decided alone."
            )
        else:
            stacker = self.stacker
            started = timer() if timer else 0.0
            votes[self.quantum_name] = float(self.members[self.quantum_name].predict_up(row)[0])
            if timer is not None:
                self.last_quantum_seconds = timer() - started
                if self.last_quantum_seconds > self.latency_budget_seconds:
                    self.skips_left = self.retry_after
        inputs = np.array([[votes[m] for m in stacker.members]])
        probability = float(stacker.predict_up(inputs, np.array([int(regime)]))[0])
        model = stacker.model_for(regime)
        weights = {m: float(c) for m, c in zip(stacker.members, model.coef_[0], strict=True)}
        return Signal(
            probability_up=probability,
            confidence=max(probability, 1 - probability),
            direction="up" if probability >= 0.5 else "down",
            regime=regime,
            votes=votes,
            weights=weights,
            top_features=self.top_features(row),
            used_quantum=not too_slow,
            note=note,
        )

    def top_features(self, row: np.ndarray, count: int = 3) -> list[tuple[str, float]]:
        """The features that pushed the logistic member most (log-odds each adds, signed)."""
        member = self.members.get("logistic")
        if not isinstance(member, LogisticMember):
            return []
        contributions = member.contributions(row)[0]
        order = np.argsort(-np.abs(contributions), kind="stable")[:count]
        return [(str(self.feature_names[i]), float(contributions[i])) for i in order]
