"""Anomaly detection on a price stream: jumps, gaps and stale data.

* JUMP: a close-to-close log return larger than `jump_sigmas` × the per-bar volatility known
  *before* that bar (EWMA, so a jump is judged against the calm that preceded it).
* GAP: an open away from the previous close by more than `gap_sigmas` × that same volatility.
* STALE: no update for longer than `max_silence`, judged against a time the caller passes in
  (from its `Clock`), because the core never reads the wall clock.

Every event carries the figures that triggered it (returns and sigmas in log-return units).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from keel.volatility.streaming import EwmaVol


class AnomalyKind(StrEnum):
    JUMP = "jump"
    GAP = "gap"
    STALE = "stale"


@dataclass(frozen=True)
class AnomalyEvent:
    """One anomaly with the figures behind it and a plain-words message."""

    kind: AnomalyKind
    at: datetime | None
    figures: dict[str, float] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True)
class AnomalyConfig:
    """Detector settings: thresholds in multiples of per-bar sigma; silence as a duration."""

    jump_sigmas: float = 4.0
    gap_sigmas: float = 4.0
    ewma_lambda: float = 0.94
    min_history: int = 20
    min_sigma: float = 1e-4
    max_silence: timedelta = timedelta(minutes=5)


class AnomalyDetector:
    """Streaming detector for one symbol: ``update(close, open_=…, at=…)``, ``check_stale(now)``."""

    def __init__(self, config: AnomalyConfig | None = None) -> None:
        self.config = config or AnomalyConfig()
        self._ewma = EwmaVol(self.config.ewma_lambda, periods_per_year=1.0)
        self.reset()

    def reset(self) -> None:
        self._ewma.reset()
        self._previous_close = float("nan")
        self.last_update: datetime | None = None
        self.returns_seen = 0

    @property
    def sigma(self) -> float:
        """Current per-bar volatility of log returns (NaN before the first return)."""
        return self._ewma.value

    def update(
        self, close: float, open_: float | None = None, at: datetime | None = None
    ) -> list[AnomalyEvent]:
        """Judge one bar (or tick) against the volatility before it; return any events."""
        events: list[AnomalyEvent] = []
        previous, sigma = self._previous_close, self._ewma.value
        armed = self.returns_seen >= self.config.min_history and not math.isnan(sigma)
        scale = max(sigma, self.config.min_sigma) if armed else float("nan")
        if armed and open_ is not None:
            gap = math.log(open_ / previous)
            if abs(gap) > self.config.gap_sigmas * scale:
                events.append(self._event(AnomalyKind.GAP, at, gap, scale, self.config.gap_sigmas))
        if armed:
            move = math.log(close / previous)
            if abs(move) > self.config.jump_sigmas * scale:
                events.append(
                    self._event(AnomalyKind.JUMP, at, move, scale, self.config.jump_sigmas)
                )
        self._ewma.update(close)
        if not math.isnan(previous):
            self.returns_seen += 1
        self._previous_close = close
        if at is not None:
            self.last_update = at
        return events

    @staticmethod
    def _event(
        kind: AnomalyKind, at: datetime | None, move: float, sigma: float, limit: float
    ) -> AnomalyEvent:
        figures = {"log_return": move, "sigma": sigma, "sigmas": abs(move) / sigma, "limit": limit}
        message = f"{kind.value}: {move:+.2%} is {abs(move) / sigma:.1f}σ (limit {limit:g}σ)"
        return AnomalyEvent(kind, at, figures, message)

    def check_stale(self, now: datetime) -> AnomalyEvent | None:
        """A STALE event when the last update is older than `max_silence` at `now`, else None."""
        if self.last_update is None:
            return None
        silence = now - self.last_update
        limit = self.config.max_silence
        if silence <= limit:
            return None
        figures = {
            "silence_seconds": silence.total_seconds(),
            "max_silence_seconds": limit.total_seconds(),
        }
        message = f"stale: no update for {silence} (expected within {limit})"
        return AnomalyEvent(AnomalyKind.STALE, now, figures, message)
