"""Enumerations shared by every layer.

`Regime` and `Permission` are ordered: a larger value is more volatile / more restrictive, so
"the tightest level that applies" is simply `max(levels)`.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Regime(IntEnum):
    """Volatility regime of a market, from calm to violent."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    EXTREME = 3


class Permission(IntEnum):
    """Trading permission granted by a circuit breaker, from most to least open.

    As on an exchange, CLOSED means trading is halted.
    """

    OPEN = 0
    CAUTIOUS = 1
    RESTRICTED = 2
    CLOSED = 3


class Role(StrEnum):
    LEARNER = "learner"
    GUARDIAN = "guardian"
    TEACHER = "teacher"
    ADMIN = "admin"


class Cohort(StrEnum):
    """Who sees features first: feature flags target a user's cohort (admins move users)."""

    GENERAL = "general"
    BETA = "beta"


class OrderSide(StrEnum):
    BUY = "buy"
    SELL = "sell"


class OrderType(StrEnum):
    MARKET = "market"
    LIMIT = "limit"
    STOP = "stop"
    STOP_LIMIT = "stop_limit"


class TimeInForce(StrEnum):
    DAY = "day"
    GTC = "gtc"


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    ACCEPTED = "accepted"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.EXPIRED}
)
