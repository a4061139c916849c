"""Features use prices up to t only; labels are the sign of the forward return (issue 10)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import Regime
from keel.market.datasets import load_bundled
from keel.models.features import (
    MODEL_FEATURES,
    LabelConfig,
    build_dataset,
    build_features,
    build_labels,
)

SPAN = load_bundled("SPX").loc["2007-01-01":"2009-06-30"]
FULL = build_features(SPAN)


@settings(max_examples=25, deadline=None)
@given(
    cut=st.integers(min_value=300, max_value=len(SPAN) - 2),
    scale=st.floats(min_value=0.5, max_value=2.0).filter(lambda s: abs(s - 1) > 0.01),
    seed=st.integers(0, 2**16),
)
def test_changing_prices_after_t_leaves_features_at_t_unchanged(
    cut: int, scale: float, seed: int
) -> None:
    changed = SPAN.copy()
    after = changed.index[cut + 1 :]
    noise = np.random.default_rng(seed).uniform(0.9, 1.1, (len(after), 1))
    prices = ["Open", "High", "Low", "Close"]
    changed.loc[after, prices] = changed.loc[after, prices].to_numpy() * scale * noise
    changed.loc[after, "High"] = changed.loc[after, prices].max(axis=1)
    changed.loc[after, "Low"] = changed.loc[after, prices].min(axis=1)
    changed.loc[after, "Volume"] = changed.loc[after, "Volume"] * scale
    features = build_features(changed)
    pd.testing.assert_frame_equal(features.iloc[: cut + 1], FULL.iloc[: cut + 1])
    # …and the change is seen afterwards, so the test could fail.
    assert not np.allclose(
        features["ret_1"].iloc[cut + 1 :], FULL["ret_1"].iloc[cut + 1 :], equal_nan=True
    )


def test_every_model_feature_is_there_once_warm(spx: pd.DataFrame) -> None:
    dataset = build_dataset("SPX", spx)
    warm = dataset.features.index[dataset.warm]
    # The 252-day drawdown window is the longest: one year of bars after the first one.
    assert warm[0] == spx.index[251]
    assert dataset.warm[251:].all()
    assert set(MODEL_FEATURES) <= set(dataset.features.columns)
    regimes = dataset.features["regime"].dropna().unique()
    assert set(regimes) == {float(r) for r in Regime}


def test_vix_features_only_where_vix_has_dates(spx: pd.DataFrame) -> None:
    vix = load_bundled("VIX")["Close"]
    features = build_features(spx, vix)
    level = features["vix_level"]
    assert level.loc[:"2014-01-02"].isna().all()
    assert level.loc["2014-01-03":].notna().all()
    assert level.loc["2018-12-24"] == vix.loc["2018-12-24"] / 100


def test_label_is_the_sign_of_the_next_close_to_close_return(spx: pd.DataFrame) -> None:
    dataset = build_dataset("SPX", spx)
    close = spx["Close"].to_numpy()
    label = dataset.labels["label"].to_numpy()
    np.testing.assert_array_equal(label[:-1], (close[1:] > close[:-1]).astype(float))
    assert np.isnan(label[-1])  # the last day has no next close yet
    # SPX rose on 53.1 % of its days 1999-2018
    assert round(float(np.nanmean(label)) * 100, 1) == 53.1


def test_horizon_per_regime_and_dead_zone(spx: pd.DataFrame) -> None:
    config = LabelConfig(
        horizon_days={Regime.LOW: 5, Regime.NORMAL: 3, Regime.HIGH: 2, Regime.EXTREME: 1},
        dead_zone=0.002,
    )
    regimes = build_features(spx)["regime"]
    labels = build_labels(spx, regimes, config)
    close = spx["Close"].to_numpy()
    for t in (300, 2400, 2450, 4000):
        h = config.horizon_days[Regime(int(regimes.iloc[t]))]
        assert labels["horizon"].iloc[t] == h
        forward = np.log(close[t + h] / close[t])
        assert labels["forward_return"].iloc[t] == forward
        expected = np.nan if abs(forward) < 0.002 else float(forward > 0)
        np.testing.assert_equal(labels["label"].iloc[t], expected)
    assert labels["horizon"].nunique() == 4
    assert labels["label"].isna().sum() > 100  # the dead zone drops quiet days
    assert config.max_horizon == 5
