"""Sizing (acceptance 9 and 10) and the walk-forward parameter optimizer."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import Regime
from keel.market.datasets import load_bundled
from keel.risk.optimizer import ParameterTable, parameter_table, parameter_table_from_bars
from keel.risk.sizing import (
    SizingParameters,
    position_size,
    strategy_figures,
    vol_target_weight,
    vol_target_weights,
    vol_targeted_returns,
)
from keel.volatility.calibration import classify_history
from keel.volatility.estimators import ewma_vol
from keel.volatility.regimes import ThresholdRegimeClassifier


@pytest.fixture(scope="module")
def spx() -> pd.DataFrame:
    return load_bundled("SPX")


@pytest.fixture(scope="module")
def labels(spx: pd.DataFrame) -> pd.Series:
    return classify_history(spx, ThresholdRegimeClassifier())[0]


@pytest.fixture(scope="module")
def table(spx: pd.DataFrame, labels: pd.Series) -> ParameterTable:
    return parameter_table(spx, labels)


# ----- acceptance 9: volatility targeting at 10 % over SPX 1999–2018 ------------------------------


def test_vol_targeting_at_ten_percent_beats_buy_and_hold_on_risk(spx: pd.DataFrame) -> None:
    close = spx["Close"]
    weights = vol_target_weights(close, target_vol=0.10, leverage_cap=1.0, lam=0.94)
    strategy = strategy_figures(vol_targeted_returns(close, weights))
    hold = strategy_figures(close.pct_change().fillna(0.0))
    assert 0.09 <= strategy.realized_vol <= 0.11
    assert strategy.max_drawdown > -0.40
    assert hold.max_drawdown == pytest.approx(-0.568, abs=0.001)
    assert strategy.sharpe >= hold.sharpe
    assert weights.max() <= 1.0 and weights.min() >= 0.0


def test_weight_at_t_uses_only_vol_known_at_t_minus_one(spx: pd.DataFrame) -> None:
    close = spx["Close"]
    weights = vol_target_weights(close)
    vol = ewma_vol(close.to_numpy(), lam=0.94)
    day = close.index.get_loc(pd.Timestamp("2008-10-15"))
    assert weights.iloc[day] == pytest.approx(min(1.0, 0.10 / vol[day - 1]))
    # Cutting the future off changes nothing up to the cut.
    cut = vol_target_weights(close.iloc[: day + 1])
    pd.testing.assert_series_equal(cut, weights.iloc[: day + 1])


# ----- acceptance 10: size is monotonic in the regime ----------------------------------------------


@given(
    equity=st.decimals(min_value=100, max_value=10_000_000, places=2),
    price=st.decimals(min_value=1, max_value=5_000, places=2),
    forecast_vol=st.floats(min_value=0.02, max_value=1.5),
)
@settings(max_examples=300, deadline=None)
def test_position_size_is_monotonic_in_the_regime(
    equity: Decimal, price: Decimal, forecast_vol: float
) -> None:
    size = {r: position_size(equity, price, forecast_vol, r) for r in Regime}
    assert size[Regime.EXTREME] < size[Regime.HIGH] < size[Regime.NORMAL] <= size[Regime.LOW]
    assert size[Regime.LOW] * price <= equity  # leverage cap 1×


def test_spx_sizes_with_walk_forward_parameters_are_monotonic(
    spx: pd.DataFrame, table: ParameterTable
) -> None:
    """On every refit date, sizing SPX with that date's fitted multipliers keeps the order."""
    close = spx["Close"]
    vol = pd.Series(ewma_vol(close.to_numpy(), lam=0.94), index=close.index)
    dates = table.frame.index.get_level_values("effective_from").unique()
    assert len(dates) >= 70
    for date in dates:
        params = table.sizing(date)
        price = Decimal(str(round(close.loc[date], 2)))
        forecast = float(vol.shift(1).loc[date])
        size = {r: position_size(Decimal("100000"), price, forecast, r, params) for r in Regime}
        assert size[Regime.EXTREME] < size[Regime.HIGH] < size[Regime.NORMAL] <= size[Regime.LOW]


def test_vol_target_weight_edges() -> None:
    assert vol_target_weight(0.05, 0.10, 1.0) == 1.0
    assert vol_target_weight(0.40, 0.10, 1.0) == pytest.approx(0.25)
    assert vol_target_weight(float("nan"), 0.10, 1.0) == 0.0
    with pytest.raises(ValueError):
        SizingParameters(regime_multipliers={r: 1.0 - 0.1 * (3 - r) for r in Regime})


# ----- the optimizer: walk-forward, monotonic, current parameters ---------------------------------


def test_parameters_at_t_use_only_data_before_t(spx: pd.DataFrame, labels: pd.Series) -> None:
    full = parameter_table(spx, labels)
    rng = np.random.default_rng(3)
    dates = full.frame.index.get_level_values("effective_from").unique()
    for date in rng.choice(dates, size=8, replace=False):
        cut = spx.loc[:date]
        truncated = parameter_table(cut, labels.loc[:date])
        for regime in Regime:
            assert truncated.at(date, regime) == full.at(date, regime)
            fitted = full.at(date, regime).fitted_on_until
            assert fitted is not None and pd.Timestamp(fitted) < pd.Timestamp(date)


def test_fitted_parameters_tighten_as_the_regime_worsens(table: ParameterTable) -> None:
    dates = table.frame.index.get_level_values("effective_from").unique()
    for date in dates:
        p = [table.at(date, r) for r in sorted(Regime)]
        assert [x.size_multiplier for x in p] == sorted(
            (x.size_multiplier for x in p), reverse=True
        )
        assert p[3].size_multiplier < p[2].size_multiplier < p[1].size_multiplier
        assert [x.confidence_threshold for x in p] == sorted(x.confidence_threshold for x in p)
        assert [x.lookback_days for x in p] == sorted((x.lookback_days for x in p), reverse=True)


def test_current_parameters_are_the_latest_fit(spx: pd.DataFrame, table: ParameterTable) -> None:
    current = table.current_parameters(Regime.EXTREME)
    assert current.fitted_on_until is not None and current.fitted_on_until.year == 2018
    assert current.realized_vol is not None and current.realized_vol > 0.30
    assert (
        current.confidence_threshold > table.current_parameters(Regime.NORMAL).confidence_threshold
    )
    # Before a year of history there is no fit: defaults.
    early = table.at(pd.Timestamp("1999-06-01"), Regime.HIGH)
    assert early.fitted_on_until is None and early.size_multiplier == 0.5


def test_table_from_bars_runs_the_default_classifier(spx: pd.DataFrame) -> None:
    small = spx.loc[:"2003-12-31"]
    table = parameter_table_from_bars(small)
    assert not table.frame.empty
    assert table.current_parameters(Regime.HIGH).lookback_days < 63
