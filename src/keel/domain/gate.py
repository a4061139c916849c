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
from typing import Protocol, runtime_checkable

from keel.domain.account import Account
from keel.domain.enums import Permission
from keel.domain.errors import NO_FIGURES, Figures, no_figures
from keel.domain.orders import Order
from keel.domain.quotes import Quote

GATE_REFUSED = "order-gate-refused"
"""The code of a gate's decision that names no rule of its own."""


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
    code: str = GATE_REFUSED
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
        code: str = GATE_REFUSED,
        breaker: str | None = None,
    ) -> GateDecision:
        """Go ahead; a cut (`reduced_quantity` / `max_notional`) names its rule's `code` (and
        the `breaker` behind it, when one is)."""
        return cls(
            True,
            permission,
            breaker,
            reason=reason,
            max_notional=max_notional,
            reduced_quantity=reduced_quantity,
            code=code,
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
        code: str = GATE_REFUSED,
        figures: Figures | None = None,
    ) -> GateDecision:
        return cls(
            False, permission, breaker, reason, reopen_at, code=code, figures=figures or NO_FIGURES
        )


class OrderGate(Protocol):
    """Anything with `check(order, context) -> GateDecision`."""

    def check(self, order: Order, context: GateContext) -> GateDecision: ...


@dataclass(frozen=True, slots=True)
class GateReview:
    """Every check's verdict on one order, not only the first refusal (an order preview shows
    them all). `decision` is exactly what the gate's `check` answers; `verdicts` are the checks'
    own decisions in the order they ran, each told about the cuts of the checks before it."""

    decision: GateDecision
    verdicts: tuple[GateDecision, ...]


@runtime_checkable
class ReviewingGate(Protocol):
    """A gate that can also give every check's verdict at once."""

    def review(self, order: Order, context: GateContext) -> GateReview: ...


def review_gate(gate: OrderGate, order: Order, context: GateContext) -> GateReview:
    """Every verdict of `gate` on `order`: its `review` when it has one, else its one decision."""
    if isinstance(gate, ReviewingGate):
        return gate.review(order, context)
    decision = gate.check(order, context)
    return GateReview(decision, (decision,))


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
