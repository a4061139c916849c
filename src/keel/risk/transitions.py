"""What a circuit breaker records: scopes, kinds of transition, demands and transition records.

A breaker's level only changes through a `BreakerTransition`; each record says which breaker moved
(scope and key), from which level to which, why in plain words, the figures behind it, when, and the
earliest time it may step down again (`reopen_at`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from keel.domain.enums import Permission

Figure = float | int | str
"""A figure behind a decision: a number, or a string (Decimal money is kept exact as a string)."""


class Scope(StrEnum):
    """Where a breaker applies."""

    MARKET = "market"
    SYMBOL = "symbol"
    ACCOUNT = "account"


class TransitionKind(StrEnum):
    """How a level changed.

    ESCALATE: a rule demanded a tighter level (immediate). STEP_DOWN: one level looser after a
    cooldown (and, from CAUTIOUS, after the probing phase). EXTEND: a rule fired again at the current
    level and pushed `reopen_at` later. FORCE: an admin set the level by hand (halt, resume).
    """

    ESCALATE = "escalate"
    STEP_DOWN = "step_down"
    EXTEND = "extend"
    FORCE = "force"


class BreakerMode(StrEnum):
    """ENFORCE: the level binds orders. MEASURE_ONLY: the breaker runs and records, allows everything."""

    ENFORCE = "enforce"
    MEASURE_ONLY = "measure_only"


class IllegalBreakerTransition(ValueError):
    """A level change the breaker's state machine does not allow."""


@dataclass(frozen=True, slots=True)
class Demand:
    """What a breaker's rules ask for right now.

    `level` is the tightest level the rules want; `hold` is the least time the level must then last
    (None: the breaker's own cooldown); `rule` is a short stable name (e.g. ``mwcb_level_1``).
    """

    level: Permission
    rule: str = "calm"
    reason: str = "all calm: nothing is limiting trading here"
    figures: Mapping[str, Figure] = field(default_factory=dict)
    hold: timedelta | None = None
    condition: str | None = None
    """What must change for the rule to stop firing, in plain words (e.g. "SPX's volatility stays
    under 36% for 10 trading days in a row"). A demand with a condition lasts as long as the
    condition: its level shows no reopening time, since a time that moves with every observation
    tells a learner nothing. None: a timed demand (its `hold`, else the breaker's cooldown)."""


CALM = Demand(Permission.OPEN)
"""The demand of a breaker whose rules are all quiet."""


@dataclass(frozen=True, slots=True)
class BreakerTransition:
    """One recorded change of a breaker's level (or of its reopening time, for EXTEND)."""

    scope: Scope
    scope_key: str
    from_level: Permission
    to_level: Permission
    kind: TransitionKind
    rule: str
    reason: str
    figures: Mapping[str, Figure]
    at: datetime
    reopen_at: datetime | None
    enforced: bool = True
    condition: str | None = None
    """What must change for the new level to ease (a condition-held level has no `reopen_at`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))

    @property
    def breaker(self) -> str:
        """A name for people, e.g. ``market-wide breaker`` or ``symbol breaker SPX``."""
        return breaker_name(self.scope, self.scope_key)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view (levels and kinds by name, times as ISO 8601)."""
        return {
            "scope": self.scope.value,
            "scope_key": self.scope_key,
            "breaker": self.breaker,
            "from_level": self.from_level.name,
            "to_level": self.to_level.name,
            "kind": self.kind.value,
            "rule": self.rule,
            "reason": self.reason,
            "figures": dict(self.figures),
            "at": self.at.isoformat(),
            "reopen_at": self.reopen_at.isoformat() if self.reopen_at else None,
            "enforced": self.enforced,
            "condition": self.condition,
        }


def breaker_name(scope: Scope, scope_key: str) -> str:
    """A plain name of a breaker, as a rejection message shows it."""
    if scope is Scope.MARKET:
        return "market-wide breaker"
    return f"{scope.value} breaker {scope_key}"
