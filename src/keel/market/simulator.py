"""Fictional tickers from a seeded regime-switching GARCH(1,1), calibrated on the real series.

Model, with returns r_t in percent log return per trading day:

    regime s_t in {calm, turbulent}: a Markov chain with P(stay calm), P(stay turbulent)
    r_t = mean[s_t] + vol[s_t] * e_t
    e_t = sqrt(h_t) * z_t,  z_t ~ Student-t(nu) scaled to unit variance
    h_t = omega + alpha * e_{t-1}**2 + beta * h_{t-1}

Calibration (`calibrate`): a two-regime Markov-switching model with switching mean and variance
(statsmodels) gives the regimes' means, volatilities and stay probabilities; a GARCH(1,1) with
Student-t shocks (the `arch` package) fitted to the returns divided by the smoothed regime
volatility gives alpha, beta, nu — the clustering left inside a regime — and omega is set by
variance targeting (the long-run level omega / (1 - alpha - beta) that makes the model's
unconditional return variance equal the sample variance), so the simulated volatility is centred on
the real one rather than on the t fit's lower long-run level. The figures fitted on the bundled
history are frozen in `CALIBRATED` (a test re-fits and compares).

Daily bars: each day's return is split into an overnight gap and an intraday move that are
uncorrelated and add up exactly, with the gap's share of variance taken from the calibrating series;
the high and low are draws of the maximum and minimum of a Brownian bridge from open to close,
with the intraday volatility scaled so the Parkinson range volatility relative to close-to-close
volatility matches the calibrating series. Volume is a base level times a persistent log-normal
factor and a surge on large moves.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from keel.market.calendar import next_trading_days
from keel.market.hashing import text_key

__all__ = [
    "CALIBRATED",
    "CLASSROOM",
    "FictionalTicker",
    "RegimeGarchParams",
    "calibrate",
    "calibrated",
    "continue_series",
    "extend_history",
    "simulate_bars",
    "simulate_ticker",
]

TRADING_DAYS_PER_YEAR = 252


@dataclass(frozen=True)
class RegimeGarchParams:
    """Calibrated figures. Means and volatilities are percent log return per trading day."""

    source: str
    mean_pct: tuple[float, float]
    """Daily mean return in each regime (calm, turbulent)."""
    vol_pct: tuple[float, float]
    """Daily volatility scale of each regime (calm, turbulent)."""
    stay: tuple[float, float]
    """Probability of staying in the calm / turbulent regime from one day to the next."""
    omega: float
    alpha: float
    beta: float
    nu: float
    """Student-t degrees of freedom of the shocks."""
    overnight_share: float
    """Share of daily return variance that arrives in the overnight gap (open vs previous close)."""
    range_scale: float
    """Intraday volatility multiplier for the high/low draws (matches the real range / vol ratio)."""

    def turbulent_share(self) -> float:
        """Long-run fraction of days spent in the turbulent regime."""
        leave_calm, leave_turbulent = 1.0 - self.stay[0], 1.0 - self.stay[1]
        return leave_calm / (leave_calm + leave_turbulent)


# Produced by `calibrate(load_bundled(symbol), symbol)` on the bundled history (1999-2018 for SPX
# and IXIC, 2004-2013 for GOOG), rounded; `tests/unit/market/test_simulator.py` re-fits and compares.
#
#            calm / turbulent: mean %/day  vol %/day    P(stay)   GARCH omega alpha beta, t nu
#   SPX   0.0692 / -0.0881     0.684 / 1.805   0.9877 / 0.9778   0.0186 0.0361 0.9451, 18.6
#   IXIC  0.0861 / -0.0970     0.901 / 2.390   0.9944 / 0.9901   0.0214 0.0485 0.9295, 14.5
#   GOOG  0.1467 / -0.0738     1.368 / 3.754   0.9717 / 0.9035   0.0087 0.0059 0.9853, 20.1
# Overnight share of variance: SPX 1.8 %, IXIC 24.9 %, GOOG 37.8 %; range scale 0.840 / 0.886 / 1.016.
CALIBRATED: dict[str, RegimeGarchParams] = {
    "SPX": RegimeGarchParams(
        source="SPX",
        mean_pct=(0.06923, -0.08813),
        vol_pct=(0.6841, 1.8045),
        stay=(0.98775, 0.97779),
        omega=0.018581,
        alpha=0.036139,
        beta=0.945069,
        nu=18.643,
        overnight_share=0.017834,
        range_scale=0.84032,
    ),
    "IXIC": RegimeGarchParams(
        source="IXIC",
        mean_pct=(0.08610, -0.09703),
        vol_pct=(0.9011, 2.3899),
        stay=(0.99435, 0.99015),
        omega=0.021430,
        alpha=0.048517,
        beta=0.929479,
        nu=14.459,
        overnight_share=0.248939,
        range_scale=0.88615,
    ),
    "GOOG": RegimeGarchParams(
        source="GOOG",
        mean_pct=(0.14672, -0.07383),
        vol_pct=(1.3683, 3.7541),
        stay=(0.97170, 0.90350),
        omega=0.008699,
        alpha=0.005937,
        beta=0.985321,
        nu=20.057,
        overnight_share=0.378238,
        range_scale=1.01581,
    ),
}


def calibrate(frame: pd.DataFrame, source: str) -> RegimeGarchParams:
    """Fit the model to a daily OHLCV float frame (needs `arch` and `statsmodels`; ~1 s)."""
    from arch import arch_model
    from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

    close = frame["Close"].to_numpy(dtype=float)
    returns = 100.0 * np.diff(np.log(close))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        switching = MarkovRegression(returns, k_regimes=2, trend="c", switching_variance=True).fit(
            disp=False, search_reps=0
        )
    names = list(switching.model.param_names)
    params = dict(zip(names, np.asarray(switching.params, dtype=float), strict=True))
    variances = np.array([params["sigma2[0]"], params["sigma2[1]"]])
    means = np.array([params["const[0]"], params["const[1]"]])
    p00, p10 = params["p[0->0]"], params["p[1->0]"]
    stays = np.array([p00, 1.0 - p10])
    order = np.argsort(variances)  # calm first
    probabilities = np.asarray(switching.smoothed_marginal_probabilities, dtype=float)
    regime_vol = np.sqrt(probabilities @ variances)
    regime_mean = probabilities @ means
    standardised = (returns - regime_mean) / regime_vol
    garch = arch_model(standardised, mean="Zero", vol="GARCH", p=1, q=1, dist="t")
    fitted = garch.fit(disp="off").params
    alpha, beta = float(fitted["alpha[1]"]), float(fitted["beta[1]"])
    # Variance targeting: the long-run GARCH level that gives the sample variance of returns.
    calm, turbulent = order
    leave = np.array([1.0 - stays[calm], 1.0 - stays[turbulent]])
    share = leave[::-1] / leave.sum()  # stationary probability of (calm, turbulent)
    regime_means = means[order]
    spread_of_means = float(share @ (regime_means - share @ regime_means) ** 2)
    target = (float(np.var(returns)) - spread_of_means) / float(share @ variances[order])

    log_open = np.log(frame["Open"].to_numpy(dtype=float))
    gaps = log_open[1:] - np.log(close[:-1])
    overnight_share = float(np.clip(np.var(gaps) / np.var(returns / 100.0), 0.0, 0.9))
    log_range = np.log(frame["High"].to_numpy(dtype=float) / frame["Low"].to_numpy(dtype=float))
    parkinson = math.sqrt(float(np.mean(log_range**2)) / (4.0 * math.log(2.0)))
    intraday = float(np.std(returns / 100.0)) * math.sqrt(1.0 - overnight_share)
    return RegimeGarchParams(
        source=source,
        mean_pct=(float(means[order[0]]), float(means[order[1]])),
        vol_pct=(float(np.sqrt(variances[order[0]])), float(np.sqrt(variances[order[1]]))),
        stay=(float(stays[order[0]]), float(stays[order[1]])),
        omega=(1.0 - alpha - beta) * target,
        alpha=alpha,
        beta=beta,
        nu=float(fitted["nu"]),
        overnight_share=overnight_share,
        range_scale=parkinson / intraday,
    )


def calibrated(source: str) -> RegimeGarchParams:
    """The frozen figures calibrated on bundled series `source` ("SPX", "IXIC" or "GOOG")."""
    try:
        return CALIBRATED[source.upper()]
    except KeyError as exc:
        raise KeyError(
            f"no calibration for {source!r}; choose one of {', '.join(CALIBRATED)}"
        ) from exc


def _seeded(seed: int, symbol: str) -> np.random.Generator:
    return np.random.default_rng([seed, text_key(0, symbol)])


def simulate_bars(
    params: RegimeGarchParams,
    dates: pd.DatetimeIndex,
    *,
    start_price: float,
    rng: np.random.Generator,
    base_volume: float,
    initial_regime: int = 0,
    initial_variance: float | None = None,
) -> pd.DataFrame:
    """Daily OHLCV float bars on `dates`; the first bar opens from `start_price` (previous close).

    Prices are rounded to cents and always satisfy low <= open, close <= high; volume is whole units.
    """
    n = len(dates)
    nu = params.nu
    shocks = rng.standard_t(nu, n) * math.sqrt((nu - 2.0) / nu)
    switch_draws = rng.random(n)
    split_noise = rng.standard_normal(n)
    high_draws, low_draws = rng.random(n), rng.random(n)
    volume_noise = rng.standard_normal(n)

    persistence = params.alpha + params.beta
    long_run = params.omega / (1.0 - persistence) if persistence < 1.0 else 1.0
    variance = long_run if initial_variance is None else initial_variance
    regime = initial_regime
    shock_prev = 0.0
    returns = np.empty(n)
    day_vol = np.empty(n)
    for t in range(n):  # the GARCH and Markov recursions are inherently sequential
        if t > 0 and switch_draws[t] > params.stay[regime]:
            regime = 1 - regime
        if t > 0:
            variance = params.omega + params.alpha * shock_prev**2 + params.beta * variance
        shock_prev = math.sqrt(variance) * shocks[t]
        returns[t] = params.mean_pct[regime] + params.vol_pct[regime] * shock_prev
        day_vol[t] = params.vol_pct[regime] * math.sqrt(variance)

    total = returns / 100.0
    sigma = day_vol / 100.0
    share = params.overnight_share
    gap = share * total + math.sqrt(share * (1.0 - share)) * sigma * split_noise
    intraday = total - gap
    log_close = math.log(start_price) + np.cumsum(total)
    log_prev = np.concatenate([[math.log(start_price)], log_close[:-1]])
    log_open = log_prev + gap
    # Extremes of a Brownian bridge from 0 to `intraday` with volatility `sigma_range`.
    sigma_range = sigma * math.sqrt(1.0 - share) * params.range_scale
    spread = np.sqrt(intraday**2 - 2.0 * sigma_range**2 * np.log(high_draws))
    up = (intraday + spread) / 2.0
    spread = np.sqrt(intraday**2 - 2.0 * sigma_range**2 * np.log(low_draws))
    down = (intraday - spread) / 2.0

    open_ = np.maximum(np.round(np.exp(log_open), 2), 0.01)
    close = np.maximum(np.round(np.exp(log_close), 2), 0.01)
    high = np.maximum(np.round(np.exp(log_open + up), 2), np.maximum(open_, close))
    low = np.minimum(
        np.maximum(np.round(np.exp(log_open + down), 2), 0.01), np.minimum(open_, close)
    )

    level = np.empty(n)
    level_prev = 0.0
    for t in range(n):
        level_prev = 0.9 * level_prev + 0.25 * volume_noise[t]
        level[t] = level_prev
    surge = 1.0 + 0.5 * np.abs(total) / np.maximum(sigma, 1e-12)
    volume = np.round(base_volume * np.exp(level - 0.5 * 0.25**2 / (1 - 0.81)) * surge)

    return pd.DataFrame(
        {"Open": open_, "High": high, "Low": low, "Close": close, "Volume": volume},
        index=pd.DatetimeIndex(pd.DatetimeIndex(dates).to_numpy(), name="Date"),
    )


@dataclass(frozen=True)
class FictionalTicker:
    """A made-up company for the classroom universe, simulated from one calibration source."""

    symbol: str
    name: str
    source: str
    """Bundled series whose calibrated figures drive it ("SPX", "IXIC" or "GOOG")."""
    start_price: float
    base_volume: float
    """Typical shares traded per day."""


CLASSROOM: tuple[FictionalTicker, ...] = (
    FictionalTicker("ACME", "Acme Anvil Works (fictional)", "SPX", 42.0, 3_000_000),
    FictionalTicker("GLBX", "Globex Robotics (fictional)", "IXIC", 27.5, 5_000_000),
    FictionalTicker("INIT", "Initech Software (fictional)", "IXIC", 61.0, 2_500_000),
    FictionalTicker("UMBR", "Umbrella Biotech (fictional)", "GOOG", 18.0, 4_000_000),
    FictionalTicker("WONK", "Wonka Confectionery (fictional)", "SPX", 95.0, 1_200_000),
    FictionalTicker("STRK", "Stark Clean Energy (fictional)", "GOOG", 33.0, 6_000_000),
)


def simulate_ticker(ticker: FictionalTicker, dates: pd.DatetimeIndex, seed: int) -> pd.DataFrame:
    """Daily OHLCV history of a fictional ticker on `dates`, reproducible from (seed, symbol)."""
    return simulate_bars(
        calibrated(ticker.source),
        dates,
        start_price=ticker.start_price,
        rng=_seeded(seed, ticker.symbol),
        base_volume=ticker.base_volume,
    )


def continue_series(
    frame: pd.DataFrame, params: RegimeGarchParams, days: int, *, seed: int, symbol: str
) -> pd.DataFrame:
    """`days` simulated bars on the NYSE trading days after the end of a real daily series.

    The path starts from the last close, in the regime whose volatility is nearest the last 20
    days' realised volatility, with a base volume equal to the median of the last 60 days.
    """
    close = frame["Close"].to_numpy(dtype=float)
    recent = 100.0 * np.diff(np.log(close[-21:]))
    realised = float(np.std(recent)) if recent.size > 1 else params.vol_pct[0]
    regime = int(abs(realised - params.vol_pct[1]) < abs(realised - params.vol_pct[0]))
    volumes = frame["Volume"].to_numpy(dtype=float)[-60:]
    dates = next_trading_days(pd.Timestamp(frame.index[-1]).date(), days)
    return simulate_bars(
        params,
        dates,
        start_price=float(close[-1]),
        rng=_seeded(seed, f"{symbol}:continued"),
        base_volume=float(np.median(volumes)) if volumes.size else 1_000_000.0,
        initial_regime=regime,
    )


def extend_history(
    frame: pd.DataFrame, params: RegimeGarchParams, days: int, *, seed: int, symbol: str
) -> pd.DataFrame:
    """A real daily series followed by `days` simulated bars (see `continue_series`)."""
    future = continue_series(frame, params, days, seed=seed, symbol=symbol)
    return pd.concat([frame, future])
