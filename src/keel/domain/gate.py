"""The order gate: one place that says whether an order may go ahead, and why not.

The engine asks the gate at placement, when a guardian approves, and again just before a resting
order fills (when a stop triggers or a limit becomes marketable). `keel.risk` implements the real
gate (circuit-breaker permission, position limits, minors' rules); this module only defines the
contract, so `keel.risk` need not import `keel.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from keel.domain.account import Account
from keel.domain.enums import Permission
from keel.domain.errors import NO_FIGURES, Figures, no_figures
from keel.domain.orders import Order
from keel.domain.quotes import Quote


class GateStage(StrEnum):
    """When the gate is asked."""

    PLACEMENT = "placement"
    APPROVAL = "approval"
    TRIGGER = "trigger"


@dataclass(frozen=True, slots=True)
class GateContext:
    """What the gate is told besides the order. Read-only by convention: never mutate `account`.

    `reference_price` is the price used to value the order (currency per unit: the touch, or the
    limit/stop price when no quote is known); `estimated_notional` is the cash value of what is
    left of the order at that price; `reduces_exposure` is true when the order only shrinks an
    existing position (a sell of at most the long quantity, or a buy of at most the short one).
    """

    stage: GateStage
    time: datetime
    account: Account
    quote: Quote | None
    reference_price: Decimal | None
    estimated_notional: Decimal | None
    reduces_exposure: bool


@dataclass(frozen=True, slots=True)
class GateDecision:
    """The gate's answer, explained in plain words for the learner.

    `permission` is the level that applied, `breaker` the name of the breaker behind a refusal,
    `reopen_at` when trading is expected to reopen (a resting order refused with a `reopen_at` keeps
    resting and is asked again later). An allowed order may be cut down: `reduced_quantity` (units)
    and/or `max_notional` (cash) cap what is left of it. `figures` are the numbers behind the
    reason (plain Decimals), sent beside it so the words stay readable.
    """

    allowed: bool
    permission: Permission = Permission.OPEN
    breaker: str | None = None
    reason: str = ""
    reopen_at: datetime | None = None
    max_notional: Decimal | None = None
    reduced_quantity: Decimal | None = None
    code: str = "order-gate-refused"
    figures: Figures = field(default_factory=no_figures)

    @classmethod
    def allow(
        cls,
        reason: str = "allowed",
        *,
        permission: Permission = Permission.OPEN,
        max_notional: Decimal | None = None,
        reduced_quantity: Decimal | None = None,
        figures: Figures | None = None,
    ) -> GateDecision:
        return cls(
            True,
            permission,
            reason=reason,
            max_notional=max_notional,
            reduced_quantity=reduced_quantity,
            figures=figures or NO_FIGURES,
        )

    @classmethod
    def refuse(
        cls,
        reason: str,
        *,
        permission: Permission = Permission.CLOSED,
        breaker: str | None = None,
        reopen_at: datetime | None = None,
        code: str = "order-gate-refused",
        figures: Figures | None = None,
    ) -> GateDecision:
        return cls(
            False, permission, breaker, reason, reopen_at, code=code, figures=figures or NO_FIGURES
        )


class OrderGate(Protocol):
    """Anything with `check(order, context) -> GateDecision`."""

    def check(self, order: Order, context: GateContext) -> GateDecision: ...


class AllowAllGate:
    """A gate that allows everything: the engine's default when no risk layer is wired in."""

    def check(self, order: Order, context: GateContext) -> GateDecision:
        return GateDecision.allow()


def wanted_units(order: Order, context: GateContext) -> Decimal | None:
    """Units the rest of the order asks for: notional ÷ reference price, or its remaining quantity."""
    price = context.reference_price
    if price is None or price <= 0:
        return order.remaining_quantity
    units = order.quantity_wanted_at(price)
    if context.estimated_notional is not None:
        # A chain that cut the order down passes the cut on through the estimated notional.
        units = min(units, context.estimated_notional / price)
    return units
