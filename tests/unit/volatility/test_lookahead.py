"""Acceptance 3: the label for day t is identical when every bar after t is removed."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from keel.volatility.calibration import classify_history
from keel.volatility.regimes import RegimeClassifier, ThresholdRegimeClassifier
from keel.volatility.regimes_alt import MarkovRegimeClassifier, PercentileRegimeClassifier

CUT_POINTS = 50


def _assert_no_look_ahead(
    frame: pd.DataFrame, make: Callable[[], RegimeClassifier], first: int, seed: int
) -> None:
    _, full = classify_history(frame, make())
    cuts = np.random.default_rng(seed).choice(np.arange(first, len(frame)), CUT_POINTS, False)
    for cut in sorted(int(c) for c in cuts):
        _, truncated = classify_history(frame.iloc[: cut + 1], make())
        assert truncated[-1] == full[cut], f"bar {frame.index[cut].date()} changed"


@pytest.mark.parametrize(
    "make", [ThresholdRegimeClassifier, PercentileRegimeClassifier], ids=["threshold", "percentile"]
)
def test_threshold_classifiers_never_look_ahead(spx: pd.DataFrame, make) -> None:  # type: ignore[no-untyped-def]
    _assert_no_look_ahead(spx, make, first=1, seed=3)


@pytest.mark.slow
def test_markov_classifier_never_looks_ahead(spx: pd.DataFrame) -> None:
    # A shorter span keeps the 50 refits-from-scratch affordable; it crosses two refits.
    frame = spx.loc["2007-01-01":"2009-12-31"]

    def make() -> MarkovRegimeClassifier:
        return MarkovRegimeClassifier(min_train=250, refit_every=250)

    _assert_no_look_ahead(frame, make, first=250, seed=5)
