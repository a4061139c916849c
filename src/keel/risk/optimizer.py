"""Walk-forward parameter optimizer: sizing multipliers, confidence thresholds, lookbacks per regime.

At each refit date t (the first bar of each period, e.g. each quarter) the parameters are fitted on
bars strictly before t only, and hold from t until the next refit. For each regime r, the fit looks
at the daily returns that followed a day labelled r (the label known at that close) and measures
their annualised vol, vol_r, against the NORMAL regime's vol_N:

    size multiplier     m_r = min(default_r, vol_N / vol_r, m_{r-1} × default_r / default_{r-1})
    confidence          c_r = min(max_conf, base_conf + (base_conf − 0.5) × max(vol_r / vol_N − 1, 0))
    lookback (days)     L_r = clamp(round(base_lookback × vol_N / vol_r), min_lookback, max_lookback)

then forced monotonic in the regime (multipliers falling strictly where the defaults do, thresholds
rising, lookbacks shortening). A regime with fewer than ``min_samples`` days keeps the defaults.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from keel.domain.enums import Regime
from keel.risk.sizing import DEFAULT_REGIME_MULTIPLIERS, SizingParameters
from keel.volatility.calibration import classify_history
from keel.volatility.regimes import RegimeClassifier, ThresholdRegimeClassifier
from keel.volatility.returns import TRADING_DAYS_PER_YEAR, log_returns

REGIMES = sorted(Regime)


@dataclass(frozen=True, slots=True)
class OptimizerConfig:
    """Defaults and bounds; vols are annualised fractions, lookbacks in trading days."""

    target_vol: float = 0.10
    leverage_cap: float = 1.0
    default_multipliers: dict[Regime, float] = field(
        default_factory=lambda: dict(DEFAULT_REGIME_MULTIPLIERS)
    )
    base_confidence: float = 0.55
    max_confidence: float = 0.80
    base_lookback: int = 63
    min_lookback: int = 10
    max_lookback: int = 126
    min_samples: int = 20
    min_history: int = 252
    refit: str = "QS"
    """pandas period start alias: QS quarterly, MS monthly, YS yearly."""


@dataclass(frozen=True, slots=True)
class RegimeParameters:
    """Parameters for one regime from one fit, with the figures behind them."""

    regime: Regime
    size_multiplier: float
    confidence_threshold: float
    lookback_days: int
    target_vol: float
    leverage_cap: float
    realized_vol: float | None
    samples: int
    fitted_on_until: datetime | None
    """Last bar used by the fit (None: defaults, no fit yet)."""


def default_parameters(config: OptimizerConfig | None = None) -> dict[Regime, RegimeParameters]:
    """Parameters before any history is available."""
    config = config or OptimizerConfig()
    steps = {Regime.LOW: 0, Regime.NORMAL: 0, Regime.HIGH: 1, Regime.EXTREME: 2}
    return {
        r: RegimeParameters(
            regime=r,
            size_multiplier=config.default_multipliers[r],
            confidence_threshold=min(
                config.max_confidence, config.base_confidence + 0.05 * steps[r]
            ),
            lookback_days=max(config.min_lookback, config.base_lookback // (2 ** steps[r])),
            target_vol=config.target_vol,
            leverage_cap=config.leverage_cap,
            realized_vol=None,
            samples=0,
            fitted_on_until=None,
        )
        for r in REGIMES
    }


def fit_parameters(
    returns: np.ndarray,
    prior_regimes: np.ndarray,
    config: OptimizerConfig,
    fitted_on_until: datetime | None,
) -> dict[Regime, RegimeParameters]:
    """Fit per-regime parameters on daily log `returns` grouped by the regime known the day before."""
    defaults = default_parameters(config)
    valid = ~np.isnan(returns) & ~np.isnan(prior_regimes)
    vols: dict[Regime, float | None] = {}
    counts: dict[Regime, int] = {}
    for r in REGIMES:
        chosen = returns[valid & (prior_regimes == int(r))]
        counts[r] = int(chosen.size)
        ok = chosen.size >= config.min_samples
        vols[r] = float(chosen.std(ddof=1) * math.sqrt(TRADING_DAYS_PER_YEAR)) if ok else None
    all_valid = returns[valid]
    reference = vols[Regime.NORMAL] or (
        float(all_valid.std(ddof=1) * math.sqrt(TRADING_DAYS_PER_YEAR))
        if all_valid.size > 1
        else None
    )
    result: dict[Regime, RegimeParameters] = {}
    previous: RegimeParameters | None = None
    for r in REGIMES:
        vol = vols[r]
        if vol is None or reference is None or vol <= 0:
            # Too few days in this regime so far: its defaults, stamped with this fit.
            fitted = replace(defaults[r], samples=counts[r], fitted_on_until=fitted_on_until)
        else:
            ratio = reference / vol
            excess = max(vol / reference - 1.0, 0.0)
            fitted = RegimeParameters(
                regime=r,
                size_multiplier=min(config.default_multipliers[r], ratio),
                confidence_threshold=min(
                    config.max_confidence,
                    config.base_confidence + (config.base_confidence - 0.5) * excess,
                ),
                lookback_days=int(
                    min(
                        config.max_lookback,
                        max(config.min_lookback, round(config.base_lookback * ratio)),
                    )
                ),
                target_vol=config.target_vol,
                leverage_cap=config.leverage_cap,
                realized_vol=vol,
                samples=counts[r],
                fitted_on_until=fitted_on_until,
            )
        if previous is not None:
            fitted = _monotone(fitted, previous, config)
        result[r] = fitted
        previous = fitted
    return result


def _monotone(
    fitted: RegimeParameters, calmer: RegimeParameters, config: OptimizerConfig
) -> RegimeParameters:
    step = config.default_multipliers[fitted.regime] / config.default_multipliers[calmer.regime]
    values = asdict(fitted)
    values["size_multiplier"] = min(fitted.size_multiplier, calmer.size_multiplier * step)
    values["confidence_threshold"] = max(fitted.confidence_threshold, calmer.confidence_threshold)
    values["lookback_days"] = min(fitted.lookback_days, calmer.lookback_days)
    return RegimeParameters(**values)


class ParameterTable:
    """Parameters over time: one row per (refit date, regime), each using only earlier bars."""

    def __init__(self, frame: pd.DataFrame, config: OptimizerConfig) -> None:
        self.frame = frame
        self.config = config

    def at(self, moment: datetime | pd.Timestamp, regime: Regime) -> RegimeParameters:
        """The parameters in force at `moment` (from the latest refit at or before it)."""
        rows = self.frame[self.frame.index.get_level_values("effective_from") <= moment]
        if rows.empty:
            return default_parameters(self.config)[regime]
        latest = rows.index.get_level_values("effective_from").max()
        return _row(rows.loc[(latest, regime.name)], regime)

    def current_parameters(self, regime: Regime) -> RegimeParameters:
        """The latest fitted parameters for `regime` (what strategies and the API use now)."""
        if self.frame.empty:
            return default_parameters(self.config)[regime]
        latest = self.frame.index.get_level_values("effective_from").max()
        return _row(self.frame.loc[(latest, regime.name)], regime)

    def sizing(self, moment: datetime | pd.Timestamp | None = None) -> SizingParameters:
        """Sizing inputs with the multipliers in force at `moment` (latest when None)."""
        pick = self.current_parameters if moment is None else (lambda r: self.at(moment, r))
        multipliers = {r: pick(r).size_multiplier for r in REGIMES}
        return SizingParameters(self.config.target_vol, self.config.leverage_cap, multipliers)


def _row(row: pd.Series, regime: Regime) -> RegimeParameters:
    realized = row["realized_vol"]
    until = row["fitted_on_until"]
    return RegimeParameters(
        regime=regime,
        size_multiplier=float(row["size_multiplier"]),
        confidence_threshold=float(row["confidence_threshold"]),
        lookback_days=int(row["lookback_days"]),
        target_vol=float(row["target_vol"]),
        leverage_cap=float(row["leverage_cap"]),
        realized_vol=None if pd.isna(realized) else float(realized),
        samples=int(row["samples"]),
        fitted_on_until=None if pd.isna(until) else pd.Timestamp(until).to_pydatetime(),
    )


def parameter_table(
    bars: pd.DataFrame, regimes: pd.Series, config: OptimizerConfig | None = None
) -> ParameterTable:
    """Walk-forward table from daily `bars` (Close column) and causal `regimes` (Regime values or
    NaN while warming up) on the same index. A refit at t sees only bars before t."""
    config = config or OptimizerConfig()
    index = pd.DatetimeIndex(bars.index)
    returns = log_returns(bars["Close"].to_numpy(float))
    prior = pd.Series(regimes.reindex(index).to_numpy(float), index=index).shift(1).to_numpy()
    periods = index.to_period(config.refit[0])
    starts = np.flatnonzero(np.r_[True, periods[1:] != periods[:-1]])
    records: list[dict[str, object]] = []
    for start in starts:
        if start < config.min_history:
            continue
        fitted = fit_parameters(
            returns[:start], prior[:start], config, index[int(start) - 1].to_pydatetime()
        )
        for parameters in fitted.values():
            record = asdict(parameters)
            record["regime"] = parameters.regime.name
            record["effective_from"] = index[int(start)]
            records.append(record)
    frame = pd.DataFrame.from_records(records)
    if not frame.empty:
        frame = frame.set_index(["effective_from", "regime"]).sort_index()
    return ParameterTable(frame, config)


def parameter_table_from_bars(
    bars: pd.DataFrame,
    classifier: RegimeClassifier | None = None,
    config: OptimizerConfig | None = None,
) -> ParameterTable:
    """The same, labelling regimes with a classifier run causally over the bars (default one)."""
    labels, _ = classify_history(bars, classifier or ThresholdRegimeClassifier())
    return parameter_table(bars, labels, config)
