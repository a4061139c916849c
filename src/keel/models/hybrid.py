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
from keel.models.members import Member
from keel.models.serving import ServingForm

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
    served: ServingForm | None = field(default=None, repr=False, compare=False)
    """The serving form, made on first use (never before a model is stored)."""

    def __getstate__(self) -> dict[str, object]:
        # The serving form is derived (and may hold closures): rebuilt after loading.
        return {**self.__dict__, "served": None}

    def serving(self) -> ServingForm:
        """The members and stackers as arrays (`keel.models.serving`), made on first use."""
        if self.served is None:
            self.served = ServingForm.of(self.members, self.stacker, self.classical_stacker)
        return self.served

    def signal(self, features: np.ndarray, regime: Regime, timer: Timer | None = None) -> Signal:
        """The signal for one day's feature row (1-D). Without a timer the circuit always runs."""
        row = np.asarray(features, dtype=float).ravel()
        served = self.serving()
        votes: dict[str, float] = {}
        for name, predict in served.predictors.items():
            if name != self.quantum_name:
                votes[name] = predict(row)
        too_slow = timer is not None and self.skips_left > 0
        note = ""
        if too_slow:
            self.skips_left -= 1
            stacker, form = self.classical_stacker, served.classical_stacker
            last = (self.last_quantum_seconds or 0.0) * 1000
            note = (
                f"The quantum circuit was left out: it took {last:.1f} ms when last tried, more "
                f"than the {self.latency_budget_seconds * 1000:.1f} ms a signal may take, so the "
                "classical models decided alone."
            )
        else:
            stacker, form = self.stacker, served.stacker
            started = timer() if timer else 0.0
            votes[self.quantum_name] = served.predictors[self.quantum_name](row)
            if timer is not None:
                self.last_quantum_seconds = timer() - started
                if self.last_quantum_seconds > self.latency_budget_seconds:
                    self.skips_left = self.retry_after
        probability = form(votes, regime)
        weights = dict(zip(stacker.members, form.per_regime[regime].coef.tolist(), strict=True))
        return Signal(
            probability_up=probability,
            confidence=max(probability, 1 - probability),
            direction="up" if probability >= 0.5 else "down",
            regime=regime,
            votes=votes,
            weights=weights,
            top_features=self.top_features(row.reshape(1, -1)),
            used_quantum=not too_slow,
            note=note,
        )

    def top_features(self, row: np.ndarray, count: int = 3) -> list[tuple[str, float]]:
        """The features that pushed the logistic member most (log-odds each adds, signed)."""
        explainer = self.serving().explainer
        if explainer is None:
            return []
        contributions = explainer.contributions(np.asarray(row, dtype=float).ravel())
        order = np.argsort(-np.abs(contributions), kind="stable")[:count]
        return [(str(self.feature_names[i]), float(contributions[i])) for i in order]
