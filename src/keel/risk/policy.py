"""A breaker's settings (`BreakerPolicy`) and where it stands (`BreakerState`), both immutable.

`keel.risk.machine` moves a breaker from one state to the next; see its docstring for the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from keel.domain.enums import Permission
from keel.risk.transitions import BreakerMode, Figure


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """Timing of a breaker's recovery (durations in the time passed in: market time in a replay)."""

    cooldown: timedelta = timedelta(minutes=15)
    """Least time at a level after it was last demanded, before stepping down one level."""
    backoff_factor: float = 2.0
    """Each repeated trip multiplies the cooldown by this."""
    max_cooldown: timedelta = timedelta(hours=4)
    backoff_reset: timedelta = timedelta(hours=1)
    """Time spent OPEN after which the trip count (and so the backoff) starts again from one."""
    probe_duration: timedelta = timedelta(minutes=10)
    probe_observations: int = 5
    mode: BreakerMode = BreakerMode.ENFORCE
    market_hours: bool = True
    """Show (and apply) every reopening time inside the US session (see the module docstring)."""

    def __post_init__(self) -> None:
        if self.backoff_factor < 1.0:
            raise ValueError("backoff_factor must be at least 1")
        if self.probe_observations < 1:
            raise ValueError("probe_observations must be at least 1")
        if min(self.cooldown, self.max_cooldown, self.probe_duration) < timedelta(0):
            raise ValueError("durations must not be negative")


@dataclass(frozen=True, slots=True)
class BreakerState:
    """Where a breaker stands. Immutable: every change is a new state plus a transition record."""

    level: Permission = Permission.OPEN
    since: datetime | None = None
    reopen_at: datetime | None = None
    trips: int = 0
    pinned: bool = False
    probe_started_at: datetime | None = None
    calm_observations: int = 0
    rule: str = "calm"
    reason: str = "all calm: nothing is limiting trading here"
    cause: str = ""
    """The reason of the trip that began this episode, kept while the breaker recovers."""
    condition: str | None = None
    """What must change for the level to ease (a condition-based level has no `reopen_at`)."""
    condition_seen_at: datetime | None = None
    """The last observation that demanded the condition-based level (its cooldown counts from it)."""
    condition_hold: timedelta | None = None
    """The least time the condition's level lasts after that observation (None: the cooldown)."""
    figures: Mapping[str, Figure] = field(default_factory=dict)
    """The figures behind the level now (the latest observation of the rule that holds it)."""
    last_trip_at: datetime | None = None

    @property
    def probing(self) -> bool:
        """True while CAUTIOUS is testing the water on its way back to OPEN."""
        return self.level is Permission.CAUTIOUS and self.probe_started_at is not None
