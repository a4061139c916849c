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
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TimeSeriesSplit
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
    """Gradient-boosted trees with probabilities calibrated (Platt) on later time folds."""

    name = "boosting"

    def __init__(self, seed: int = 0) -> None:
        trees = HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.05,
            max_depth=3,
            min_samples_leaf=50,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=seed,
        )
        # Time-ordered folds: each calibration fold comes after the trees it calibrates.
        self.model = CalibratedClassifierCV(trees, method="sigmoid", cv=TimeSeriesSplit(3))

    @one_thread
    def fit(self, features: np.ndarray, labels: np.ndarray) -> BoostingMember:
        self.model.fit(features, labels.astype(int))
        return self

    @one_thread
    def predict_up(self, features: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(features)[:, 1]
