"""Features and labels for the direction models, from daily OHLCV bars.

Every feature at bar t is computed from bars 0..t only (a test changes every price after t and
checks that nothing at t moves). Units: returns are log returns (0.01 ≈ 1 %), vols annualised
fractions (0.20 = 20 % a year, from `keel.volatility.estimators`), RSI 0–100 scaled to −1..1,
drawdown a fraction of the 252-day high (≤ 0), the regime the `keel.volatility` default
classifier gives at that close (0 LOW … 3 EXTREME, its fixed thresholds; NaN while it warms up).

The label at t is the sign of the forward log return from close t to close t + h, where h is the
label horizon of the regime at t (`LabelConfig.horizon_days`). The parameter optimizer
(`keel.risk.optimizer`) sets sizing, a confidence threshold and a *look-back* per regime, not a
forward horizon, so the horizon is this config's: one trading day in every regime by default (the
daily-direction setup the reference figures in the issue use). An optional dead zone leaves the
label undefined (NaN) when |forward return| is below it: such days are not trained on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from keel.backtest.indicators import rsi
from keel.domain.enums import Regime
from keel.volatility.calibration import classify_history
from keel.volatility.estimators import (
    close_to_close_vol,
    ewma_vol,
    garman_klass_vol,
    parkinson_vol,
    yang_zhang_vol,
)
from keel.volatility.regimes import ThresholdRegimeClassifier

RETURN_HORIZONS = (1, 5, 21, 63)
DRAWDOWN_WINDOW = 252
VOLUME_WINDOW = 63

MODEL_FEATURES: tuple[str, ...] = (
    "ret_1",
    "ret_5",
    "ret_21",
    "ret_63",
    "vol_close_21",
    "vol_ewma",
    "vol_parkinson_21",
    "vol_garman_klass_21",
    "vol_yang_zhang_21",
    "vol_ratio",
    "regime",
    "rsi_14",
    "macd_hist",
    "drawdown_252",
    "volume_z_63",
)
"""The columns the models train on. VIX columns exist but are left out: the bundled VIX starts
2014-01-03, so a model trained on 1999–2013 would never have seen them."""

VIX_FEATURES: tuple[str, ...] = ("vix_level", "vix_change_5")


@dataclass(frozen=True)
class LabelConfig:
    """Forward horizon (trading days) per regime and an optional dead zone (log return)."""

    horizon_days: dict[Regime, int] = field(default_factory=lambda: {r: 1 for r in Regime})
    dead_zone: float = 0.0

    @property
    def max_horizon(self) -> int:
        """The longest horizon: the gap a walk-forward leaves between training and test."""
        return max(self.horizon_days.values())


def _ema(values: np.ndarray, span: int) -> np.ndarray:
    return pd.Series(values).ewm(span=span, adjust=False).mean().to_numpy()


def _log_return(close: np.ndarray, lag: int) -> np.ndarray:
    out = np.full(close.shape, np.nan)
    out[lag:] = np.log(close[lag:] / close[:-lag])
    return out


def build_features(bars: pd.DataFrame, vix: pd.Series | None = None) -> pd.DataFrame:
    """Feature frame on the index of daily `bars` (Open, High, Low, Close, Volume).

    `vix` (closing levels, any index) adds ``vix_level`` and ``vix_change_5`` on the dates it
    covers, NaN elsewhere. Rows before every feature has warmed up contain NaN.
    """
    open_, high, low, close = (bars[c].to_numpy(float) for c in ("Open", "High", "Low", "Close"))
    volume = bars["Volume"].to_numpy(float)
    out: dict[str, np.ndarray] = {}
    for lag in RETURN_HORIZONS:
        out[f"ret_{lag}"] = _log_return(close, lag)
    out["vol_close_21"] = close_to_close_vol(close, 21)
    out["vol_ewma"] = ewma_vol(close, 0.94)
    out["vol_parkinson_21"] = parkinson_vol(high, low, 21)
    out["vol_garman_klass_21"] = garman_klass_vol(open_, high, low, close, 21)
    out["vol_yang_zhang_21"] = yang_zhang_vol(open_, high, low, close, 21)
    fast = ewma_vol(close, 0.7)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["vol_ratio"] = np.log(fast / out["vol_ewma"])
    regimes, _ = classify_history(bars, ThresholdRegimeClassifier())
    out["regime"] = regimes.to_numpy(float)
    out["rsi_14"] = (rsi(close, 14) - 50.0) / 50.0
    macd = _ema(close, 12) - _ema(close, 26)
    hist = macd - _ema(macd, 9)
    hist[:33] = np.nan  # the slow EMA and its signal line need 26 + 9 bars to mean anything
    out["macd_hist"] = hist / close
    high_252 = pd.Series(close).rolling(DRAWDOWN_WINDOW, min_periods=DRAWDOWN_WINDOW).max()
    out["drawdown_252"] = close / high_252.to_numpy() - 1.0
    log_volume = pd.Series(np.log(np.where(volume > 0, volume, np.nan)))
    rolling = log_volume.rolling(VOLUME_WINDOW, min_periods=VOLUME_WINDOW)
    out["volume_z_63"] = ((log_volume - rolling.mean()) / rolling.std(ddof=1)).to_numpy()
    frame = pd.DataFrame(out, index=bars.index)
    frame = frame.replace([np.inf, -np.inf], np.nan)
    if vix is not None:
        level = vix.astype(float).reindex(bars.index)
        frame["vix_level"] = level.to_numpy() / 100.0
        frame["vix_change_5"] = np.log(level.to_numpy() / level.shift(5).to_numpy())
    return frame


def forward_returns(close: np.ndarray, horizons: np.ndarray) -> np.ndarray:
    """Log return from close t to close t + horizons[t] (NaN where that close is not there yet)."""
    n = len(close)
    out = np.full(n, np.nan)
    ahead = np.arange(n) + horizons
    ok = ahead < n
    out[ok] = np.log(close[ahead[ok]] / close[np.flatnonzero(ok)])
    return out


def build_labels(
    bars: pd.DataFrame, regimes: pd.Series, config: LabelConfig | None = None
) -> pd.DataFrame:
    """Per bar: the horizon used, the forward log return and the label (1 up, 0 down, NaN none).

    The horizon at t is `config.horizon_days` of the regime at t (NORMAL while warming up).
    """
    config = config or LabelConfig()
    codes = pd.Series(regimes).reindex(bars.index).fillna(float(Regime.NORMAL)).to_numpy(int)
    horizons = np.array([config.horizon_days[Regime(c)] for c in codes], dtype=int)
    forward = forward_returns(bars["Close"].to_numpy(float), horizons)
    # A zero return is "not up": it counts as down, as always-up would not win that day.
    label = np.where(forward > 0, 1.0, 0.0)
    label[np.isnan(forward) | (np.abs(forward) < config.dead_zone)] = np.nan
    return pd.DataFrame(
        {"horizon": horizons, "forward_return": forward, "label": label}, index=bars.index
    )


@dataclass(frozen=True)
class Dataset:
    """Features and labels of one symbol, aligned; `rows` are the usable bars (features warm)."""

    symbol: str
    features: pd.DataFrame
    labels: pd.DataFrame
    columns: tuple[str, ...] = MODEL_FEATURES

    @property
    def matrix(self) -> np.ndarray:
        return self.features[list(self.columns)].to_numpy(float)

    @property
    def warm(self) -> np.ndarray:
        """True where every model feature has a value."""
        return ~np.isnan(self.matrix).any(axis=1)


def build_dataset(
    symbol: str,
    bars: pd.DataFrame,
    config: LabelConfig | None = None,
    vix: pd.Series | None = None,
) -> Dataset:
    """Features and labels of `symbol` from its daily bars."""
    features = build_features(bars, vix)
    labels = build_labels(bars, features["regime"], config)
    return Dataset(symbol, features, labels)
