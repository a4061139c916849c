"""Acceptance 1: the bundled SPX history and how the September 2001 closure is handled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from keel.market.datasets import ohlc_violations
from keel.volatility.estimators import ewma_vol
from keel.volatility.returns import log_returns


def test_spx_has_5031_consistent_rows_from_1999_to_2018(spx: pd.DataFrame) -> None:
    assert len(spx) == 5031
    assert spx.index[0] == pd.Timestamp("1999-01-04")
    assert spx.index[-1] == pd.Timestamp("2018-12-31")
    assert spx.index.is_monotonic_increasing and spx.index.is_unique
    assert ohlc_violations(spx).empty
    assert not spx[["Open", "High", "Low", "Close"]].isna().any().any()


def test_september_2001_closure_is_one_return_neither_spread_nor_dropped(spx: pd.DataFrame) -> None:
    window = spx.loc["2001-09-07":"2001-09-18"]
    assert list(window.index.strftime("%m-%d")) == ["09-07", "09-10", "09-17", "09-18"]
    returns = pd.Series(log_returns(spx["Close"]), index=spx.index)
    expected = np.log(spx.at["2001-09-17", "Close"] / spx.at["2001-09-10", "Close"])
    assert returns["2001-09-17"] == pytest.approx(expected, rel=1e-12)
    assert returns.notna().sum() == len(spx) - 1  # every bar after the first has its return
    # The EWMA takes the whole four-day move as one observation on 2001-09-17.
    vol = pd.Series(ewma_vol(spx["Close"]), index=spx.index)
    lam = 0.94
    before = vol["2001-09-10"] ** 2 / 252
    # With ~660 returns seen, normalised weights equal the plain recursion to machine precision.
    after = lam * before + (1 - lam) * expected**2
    assert abs(vol["2001-09-17"] - np.sqrt(after * 252)) < 1e-12


def test_log_returns_refuse_non_positive_prices() -> None:
    with pytest.raises(ValueError):
        log_returns([100.0, 0.0, 101.0])
