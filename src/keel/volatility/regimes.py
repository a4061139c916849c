"""Regime classification: the default classifier, thresholds on annualised EWMA vol with hysteresis.

Every classifier is streaming: ``classify(close)`` takes one bar's close and returns a
`RegimeReading` for that bar using only bars seen so far (never later ones); ``reset()`` forgets.

Default rule (`ThresholdRegimeClassifier`), with annualised vols in decimal units (0.20 = 20 %):

* the *target* regime is where the EWMA(λ) vol sits among three thresholds
  LOW | t1 | NORMAL | t2 | HIGH | t3 | EXTREME (a vol equal to a threshold belongs above it);
* a fast trigger, an EWMA with a short memory (λ_fast), lifts the target to at least HIGH when it
  reaches `fast_trigger`, so a sudden shock is caught on its day rather than days later;
* escalation is immediate, to the target directly (no stop at intermediate regimes);
* de-escalation is one regime at a time, after `calm_run` consecutive observations whose EWMA vol
  is below `calm_fraction` × the lower threshold of the current regime and whose fast trigger is off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

from keel.domain.enums import Regime
from keel.volatility.returns import TRADING_DAYS_PER_YEAR
from keel.volatility.streaming import EwmaVol

DEFAULT_THRESHOLDS: tuple[float, float, float] = (0.103, 0.209, 0.396)
"""Calibrated LOW|NORMAL, NORMAL|HIGH, HIGH|EXTREME annualised EWMA(0.94) vols.

Reproduce with `keel regimes calibrate --symbol SPX` (quantiles 25/78/97 % of SPX 1999–2018).
"""

CONFIDENCE_SPAN = math.log(1.5)
"""Log-distance from a regime boundary at which confidence reaches 1."""


@dataclass(frozen=True)
class RegimeReading:
    """One classification: the regime, a confidence in [0, 1] and the figures that decided it."""

    regime: Regime
    confidence: float
    figures: dict[str, float] = field(default_factory=dict)
    reason: str = ""


class RegimeClassifier(Protocol):
    """A causal, streaming regime classifier."""

    def classify(self, close: float) -> RegimeReading:
        """Classify the bar whose close is `close`, using it and earlier bars only."""
        ...

    def reset(self) -> None:
        """Forget all history."""
        ...


@dataclass(frozen=True)
class HysteresisConfig:
    """Settings of the threshold classifier; vols annualised in decimal units."""

    thresholds: tuple[float, float, float] = DEFAULT_THRESHOLDS
    calm_fraction: float = 0.9
    calm_run: int = 10
    ewma_lambda: float = 0.94
    fast_lambda: float = 0.7
    fast_trigger: float = 0.30
    fast_regime: Regime = Regime.HIGH
    periods_per_year: float = TRADING_DAYS_PER_YEAR


def target_regime(vol: float, thresholds: tuple[float, ...]) -> Regime:
    """The regime whose band contains `vol` (a vol equal to a threshold belongs above it)."""
    return Regime(sum(1 for threshold in thresholds if vol >= threshold))


def band_confidence(vol: float, regime: Regime, thresholds: tuple[float, ...]) -> float:
    """0.5 at a band edge, rising to 1 at `CONFIDENCE_SPAN` inside it; below 0.5 when held outside."""
    lower = thresholds[regime - 1] if regime > Regime.LOW else 0.0
    upper = thresholds[regime] if regime < Regime.EXTREME else math.inf
    if vol <= 0:
        distance = -math.inf if lower > 0 else math.inf
    else:
        distance = min(
            math.log(vol / lower) if lower > 0 else math.inf,
            math.log(upper / vol) if math.isfinite(upper) else math.inf,
        )
    return min(1.0, max(0.0, 0.5 + 0.5 * distance / CONFIDENCE_SPAN))


class HysteresisMachine:
    """The escalate-at-once / de-escalate-after-calm state machine, given vols and thresholds."""

    def __init__(self, config: HysteresisConfig) -> None:
        self.config = config
        self.reset()

    def reset(self) -> None:
        self.regime: Regime | None = None
        self.calm_count = 0

    def calm_limit(self, regime: Regime, thresholds: tuple[float, ...]) -> float:
        """The vol a calm observation stays under at `regime` (0 at LOW: it cannot ease)."""
        return self.config.calm_fraction * thresholds[regime - 1] if regime else 0.0

    def step(
        self, vol: float, fast_vol: float, thresholds: tuple[float, ...]
    ) -> tuple[Regime, str]:
        """Advance one observation; return the regime and the reason in plain words."""
        config = self.config
        target = target_regime(vol, thresholds)
        fast_on = fast_vol >= config.fast_trigger
        reason = f"its recent price swings add up to {vol:.1%} a year"
        if fast_on and target < config.fast_regime:
            target = config.fast_regime
            reason = (
                f"a sudden burst of swings ({fast_vol:.1%} a year) passed the "
                f"{config.fast_trigger:.0%} alarm line"
            )
        if self.regime is None or target > self.regime:
            previous = self.regime
            self.regime, self.calm_count = target, 0
            verb = "starts at" if previous is None else f"rises from {previous.name} to"
            return target, f"{verb} {target.name}: {reason}"
        current = self.regime
        calm_limit = self.calm_limit(current, thresholds)
        if current > Regime.LOW and vol < calm_limit and not fast_on:
            self.calm_count += 1
            if self.calm_count >= config.calm_run:
                self.regime, self.calm_count = Regime(current - 1), 0
                return self.regime, (
                    f"eases from {current.name} to {self.regime.name}: calm for {config.calm_run} "
                    f"readings in a row (swings under {calm_limit:.1%} a year)"
                )
            return current, (
                f"stays {current.name}: calm for {self.calm_count} of the {config.calm_run} "
                "readings in a row it needs to ease"
            )
        self.calm_count = 0
        return current, f"stays {current.name}: {reason}"


def warming_up(figures: dict[str, float] | None = None) -> RegimeReading:
    """The reading before a classifier has enough history: NORMAL with zero confidence."""
    return RegimeReading(Regime.NORMAL, 0.0, figures or {}, "warming up")


class ThresholdRegimeClassifier:
    """Default classifier: calibrated thresholds on annualised EWMA vol with hysteresis."""

    def __init__(self, config: HysteresisConfig | None = None) -> None:
        self.config = config or HysteresisConfig()
        self._ewma = EwmaVol(self.config.ewma_lambda, self.config.periods_per_year)
        self._fast = EwmaVol(self.config.fast_lambda, self.config.periods_per_year)
        self._machine = HysteresisMachine(self.config)

    def reset(self) -> None:
        self._ewma.reset()
        self._fast.reset()
        self._machine.reset()

    @property
    def calm_count(self) -> int:
        return self._machine.calm_count

    def classify(self, close: float) -> RegimeReading:
        """Classify the bar with this close (annualised EWMA vol against the thresholds)."""
        vol = self._ewma.update(close)
        fast_vol = self._fast.update(close)
        if math.isnan(vol):
            return warming_up()
        return self.classify_vol(vol, fast_vol)

    def classify_vol(self, vol: float, fast_vol: float) -> RegimeReading:
        """Classify from precomputed annualised vols (the tick path feeds intraday vols here)."""
        thresholds = self.config.thresholds
        regime, reason = self._machine.step(vol, fast_vol, thresholds)
        figures = {
            "ewma_vol": vol,
            "fast_vol": fast_vol,
            "threshold_normal": thresholds[0],
            "threshold_high": thresholds[1],
            "threshold_extreme": thresholds[2],
            "calm_count": float(self._machine.calm_count),
            # What easing the regime by one step needs (see `HysteresisMachine.step`).
            "calm_limit": self._machine.calm_limit(regime, thresholds),
            "calm_run": float(self.config.calm_run),
        }
        return RegimeReading(regime, band_confidence(vol, regime, thresholds), figures, reason)
