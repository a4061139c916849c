"""Every training window ends before its test window starts, the label horizon as the gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import Regime
from keel.market.datasets import load_bundled
from keel.models.features import LabelConfig, build_dataset
from keel.models.splits import walk_forward_splits
from keel.models.walkforward import training_rows

SPX = load_bundled("SPX").loc[:"2006-12-31"]
INDEX = pd.DatetimeIndex(SPX.index)
horizons = st.integers(min_value=1, max_value=10)


@settings(max_examples=40, deadline=None)
@given(
    first=st.integers(min_value=252 + 10, max_value=len(INDEX) - 30),
    refit=st.sampled_from(["YS", "QS", "MS"]),
    per_regime=st.tuples(horizons, horizons, horizons, horizons),
)
def test_training_ends_a_label_horizon_before_testing(
    first: int, refit: str, per_regime: tuple[int, int, int, int]
) -> None:
    config = LabelConfig(horizon_days=dict(zip(Regime, per_regime, strict=True)))
    dataset = build_dataset("SPX", SPX, config)
    splits = walk_forward_splits(INDEX, INDEX[first], gap=config.max_horizon, refit=refit)
    assert splits, "at least one window"
    assert splits[0].test_start == first
    horizon = dataset.labels["horizon"].to_numpy()
    previous_stop = first
    for split in splits:
        assert split.train_stop + config.max_horizon == split.test_start
        assert split.test_start == previous_stop  # windows tile the test period, no overlap
        previous_stop = split.test_stop
        rows = training_rows(dataset, split)
        assert len(rows) > 0
        # The close each training label reads is before the first test bar.
        assert (rows + horizon[rows]).max() < split.test_start
        assert rows.max() < split.train_stop
    assert previous_stop == len(INDEX)


def test_yearly_splits_start_on_each_first_trading_day() -> None:
    splits = walk_forward_splits(INDEX, "2002-01-01", gap=1)
    starts = [INDEX[s.test_start].date().isoformat() for s in splits]
    assert starts == ["2002-01-02", "2003-01-02", "2004-01-02", "2005-01-03", "2006-01-03"]
    assert all(s.gap == 1 for s in splits)


def test_a_gap_below_one_bar_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one bar"):
        walk_forward_splits(INDEX, "2002-01-01", gap=0)
    assert np.all(np.diff(INDEX.asi8) > 0)
