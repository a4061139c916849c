"""The classical members and the always-up baseline; every member has the same small interface.

A member is fitted on a feature matrix X (rows = days, columns = `MODEL_FEATURES`) and labels y
(1 up, 0 down) and returns P(up) per row. Members are seeded and deterministic: the same data
and seed give the same probabilities to the last bit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import ThreadpoolController

Call = TypeVar("Call", bound=Callable[..., Any])
_CONTROLLERS: list[ThreadpoolController] = []


def _controller() -> ThreadpoolController:
    # Made once, after scikit-learn loaded its OpenMP: finding the libraries costs ~3 ms, and a
    # signal has a budget of 5 ms.
    if not _CONTROLLERS:
        _CONTROLLERS.append(ThreadpoolController())
    return _CONTROLLERS[0]


def one_thread(method: Call) -> Call:
    """Run `method` with native thread pools (OpenMP, BLAS) limited to one thread.

    The boosted trees' OpenMP threads spin while they wait: on a machine busy with other work a
    fit took 178 s instead of 1.8 s. One thread per fit is also the same arithmetic on every
    machine; parallelism comes from running fits side by side (`keel.backtest.parallel`).
    """

    @wraps(method)
    def limited(*args: Any, **kwargs: Any) -> Any:
        with _controller().limit(limits=1):
            return method(*args, **kwargs)

    return limited  # type: ignore[return-value]


class Member(Protocol):
    """A fitted-on-demand direction model."""

    name: str

    def fit(self, features: np.ndarray, labels: np.ndarray) -> Member: ...

    def predict_up(self, features: np.ndarray) -> np.ndarray:
        """P(up) for each row, in [0, 1]."""
        ...


class AlwaysUp:
    """Says "up" every day; its probability is the training window's share of up days."""

    name = "always-up"

    def __init__(self, seed: int = 0) -> None:
        self.share_up = 0.5

    def fit(self, features: np.ndarray, labels: np.ndarray) -> AlwaysUp:
        self.share_up = float(np.mean(labels)) if len(labels) else 0.5
        return self

    def predict_up(self, features: np.ndarray) -> np.ndarray:
        # At least one half, so that its call is "up" even in a window with more down days.
        return np.full(len(features), max(self.share_up, 0.5))


class LogisticMember:
    """Standardised features into an L2-regularised logistic regression (the baseline)."""

    name = "logistic"

    def __init__(self, seed: int = 0, regularisation: float = 0.1) -> None:
        self.pipeline: Pipeline = make_pipeline(
            StandardScaler(), LogisticRegression(C=regularisation, max_iter=1000)
        )

    @one_thread
    def fit(self, features: np.ndarray, labels: np.ndarray) -> LogisticMember:
        self.pipeline.fit(features, labels.astype(int))
        return self

    def predict_up(self, features: np.ndarray) -> np.ndarray:
        return self.pipeline.predict_proba(features)[:, 1]

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per row and feature: coefficient × standardised value (log-odds of up it adds)."""
        scaler: StandardScaler = self.pipeline[0]
        model: LogisticRegression = self.pipeline[-1]
        return scaler.transform(features) * model.coef_[0]


class BoostingMember:
    """Gradient-boosted trees with Platt-calibrated probabilities.

    The calibration is learned on the last quarter of the training window, from trees fitted on
    the first three quarters (later days, as at test time); the trees are then refitted on the
    whole window, and the calibration applied to their scores (scikit-learn's
    ``CalibratedClassifierCV(ensemble=False)`` does the same with shuffled folds). One set of
    trees to evaluate keeps a signal fast: three, as with an ensemble of folds, took 5 ms of CPU.
    """

    name = "boosting"
    calibration_share = 0.25

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.trees = self._trees()
        self.slope, self.intercept = 1.0, 0.0

    def _trees(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.05,
            max_depth=3,
            min_samples_leaf=50,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=self.seed,
        )

    @one_thread
    def fit(self, features: np.ndarray, labels: np.ndarray) -> BoostingMember:
        labels = labels.astype(int)
        split = int(len(labels) * (1 - self.calibration_share))
        early = self._trees().fit(features[:split], labels[:split])
        scores = early.decision_function(features[split:]).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(scores, labels[split:])
        self.slope, self.intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        self.trees = self._trees().fit(features, labels)
        return self

    @one_thread
    def predict_up(self, features: np.ndarray) -> np.ndarray:
        scores = self.trees.decision_function(features)
        return np.asarray(1.0 / (1.0 + np.exp(-(self.slope * scores + self.intercept))))
