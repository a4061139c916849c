"""Expanding-window walk-forward splits with the label horizon as a gap.

A split trains on bars [0, train_stop) and tests on bars [test_start, test_stop), where
train_stop = test_start − gap. With gap = the label horizon h, the last training label (at bar
train_stop − 1) uses the close at bar train_stop − 1 + h = test_start − 1: no training label
reads a price from the test window. Test windows follow each other without overlap; a new one
starts at the first bar of each period (``refit``: YS yearly, QS quarterly, MS monthly).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Split:
    """Positions (bar numbers) of one refit: train [0, train_stop), test [test_start, test_stop)."""

    train_stop: int
    test_start: int
    test_stop: int

    @property
    def gap(self) -> int:
        return self.test_start - self.train_stop


def walk_forward_splits(
    index: pd.DatetimeIndex,
    first_test: str | pd.Timestamp,
    gap: int,
    refit: str = "YS",
    min_train: int = 252,
    last_test: str | pd.Timestamp | None = None,
) -> list[Split]:
    """Splits whose test windows start at each `refit` period from `first_test` (inclusive) on.

    Test windows end at the next refit, or after `last_test` (inclusive) for the last one. A
    split with fewer than `min_train` training bars is skipped. `gap` ≥ 1 bars separate them.
    """
    if gap < 1:
        raise ValueError(f"the gap must be at least one bar, got {gap}")
    index = pd.DatetimeIndex(index)
    stop_at = (
        len(index)
        if last_test is None
        else int(index.searchsorted(pd.Timestamp(last_test), "right"))
    )
    periods = index.to_period(refit[0])
    period_starts = np.flatnonzero(np.r_[True, periods[1:] != periods[:-1]])
    first = int(index.searchsorted(pd.Timestamp(first_test)))
    starts = [int(s) for s in period_starts if first <= s < stop_at]
    if first < stop_at and (not starts or starts[0] != first):
        starts.insert(0, first)
    splits: list[Split] = []
    for number, start in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else stop_at
        train_stop = start - gap
        if train_stop < min_train or stop <= start:
            continue
        splits.append(Split(train_stop, start, stop))
    return splits
