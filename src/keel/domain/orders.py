"""Orders and their lifecycle.

    (placed) → pending_approval → accepted → partially_filled → filled | cancelled | rejected | expired

An `Order` is born through `Order.place` (straight to `accepted`, to `pending_approval` when a guardian
must approve, or to `rejected` when the gate refuses it at placement). Every later change goes through
`Order.transition`, which refuses moves the lifecycle does not allow and records an `OrderEvent`
(time, from, to, reason). Fills are applied with `Order.apply_fill`, which moves the status itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from keel.domain.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from keel.domain.errors import (
    NO_FIGURES,
    Figures,
    IllegalTransition,
    InvalidFill,
    OrderNotCancellable,
    no_figures,
)
from keel.domain.fills import Fill
from keel.domain.money import QUANTITY_PLACES, format_price, format_quantity, to_quantity
from keel.domain.order_requests import OrderRequest

AVERAGE_PRICE_PLACES = Decimal("0.00000001")

_BIRTH: frozenset[OrderStatus] = frozenset(
    {OrderStatus.PENDING_APPROVAL, OrderStatus.ACCEPTED, OrderStatus.REJECTED}
)
ALLOWED_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_APPROVAL: frozenset(
        {OrderStatus.ACCEPTED, OrderStatus.REJECTED, OrderStatus.CANCELLED, OrderStatus.EXPIRED}
    ),
    OrderStatus.ACCEPTED: frozenset(
        {
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELLED,
            OrderStatus.REJECTED,
            OrderStatus.EXPIRED,
        }
    ),
    OrderStatus.PARTIALLY_FILLED: frozenset(
        {
            OrderStatus.PARTIALLY_FILLED,
            OrderStatus.FILLED,
            OrderStatus.CANCELLED,
            OrderStatus.EXPIRED,
        }
    ),
    OrderStatus.FILLED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.EXPIRED: frozenset(),
}
"""Legal moves of the lifecycle; anything else raises `IllegalTransition`."""


def can_transition(from_status: OrderStatus | None, to_status: OrderStatus) -> bool:
    """True when the lifecycle allows `from_status → to_status` (`None` = the order's placement)."""
    if from_status is None:
        return to_status in _BIRTH
    return to_status in ALLOWED_TRANSITIONS[from_status]


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """One recorded status change. `from_status` is `None` for the placement itself; `figures`
    are the numbers behind `reason` (a refusal's, for the API's problem+json)."""

    time: datetime
    from_status: OrderStatus | None
    to_status: OrderStatus
    reason: str
    code: str | None = None
    figures: Figures = field(default_factory=no_figures)


@dataclass(frozen=True, slots=True)
class OrderCut:
    """Why an order was made smaller than asked: `detail` in plain words (what was asked, what
    was accepted, why), `reason` the rule's own words (the gate's), `figures` the numbers."""

    detail: str
    reason: str = ""
    figures: Figures = field(default_factory=no_figures)


@dataclass(slots=True)
class Order:
    """A paper order: the request plus its status, fills so far and the history of its changes.

    Quantities are in units, prices in currency per unit, `notional` and `commission_paid` in cash.
    `filled_notional` is the exact sum of quantity × price over the fills. `requested_quantity` /
    `requested_notional` are what the caller asked for; `quantity` / `notional` what was accepted,
    smaller when the gate cut the order (`cut` then says why).
    """

    id: str
    account_id: str
    symbol: str
    side: OrderSide
    type: OrderType
    quantity: Decimal | None
    notional: Decimal | None
    limit_price: Decimal | None
    stop_price: Decimal | None
    time_in_force: TimeInForce
    client_order_id: str | None
    created_at: datetime
    status: OrderStatus = OrderStatus.PENDING_APPROVAL
    filled_quantity: Decimal = Decimal(0)
    filled_notional: Decimal = Decimal(0)
    average_fill_price: Decimal | None = None
    commission_paid: Decimal = Decimal(0)
    fill_count: int = 0
    triggered_at: datetime | None = None
    rejection_code: str | None = None
    events: list[OrderEvent] = field(default_factory=list)
    requested_quantity: Decimal | None = None
    requested_notional: Decimal | None = None
    cut: OrderCut | None = None

    @classmethod
    def draft(cls, request: OrderRequest, *, order_id: str, time: datetime) -> Order:
        """An order built from a validated request but not yet placed (it has no events)."""
        return cls(
            id=order_id,
            account_id=request.account_id,
            symbol=request.symbol,
            side=request.side,
            type=request.type,
            quantity=request.quantity,
            notional=request.notional,
            limit_price=request.limit_price,
            stop_price=request.stop_price,
            time_in_force=request.time_in_force,
            client_order_id=request.client_order_id,
            created_at=time,
            requested_quantity=request.quantity,
            requested_notional=request.notional,
        )

    # ----- lifecycle -------------------------------------------------------------------------

    @property
    def is_placed(self) -> bool:
        return bool(self.events)

    @property
    def is_open(self) -> bool:
        """Placed and not terminal: pending approval, accepted or partially filled."""
        return self.is_placed and not self.status.is_terminal

    @property
    def is_working(self) -> bool:
        """Able to fill now: accepted or partially filled."""
        return self.is_placed and self.status in (
            OrderStatus.ACCEPTED,
            OrderStatus.PARTIALLY_FILLED,
        )

    def transition(
        self,
        to_status: OrderStatus,
        *,
        time: datetime,
        reason: str,
        code: str | None = None,
        figures: Figures = NO_FIGURES,
    ) -> OrderEvent:
        """Move to `to_status`, recording why; raises `IllegalTransition` on a move not allowed."""
        from_status = self.status if self.is_placed else None
        if not can_transition(from_status, to_status):
            shown = from_status.value if from_status else "unplaced"
            raise IllegalTransition(
                f"This order is {shown.replace('_', ' ')} and cannot become "
                f"{to_status.value.replace('_', ' ')}."
            )
        event = OrderEvent(time, from_status, to_status, reason, code, figures)
        self.status = to_status
        self.events.append(event)
        if to_status is OrderStatus.REJECTED:
            self.rejection_code = code
        return event

    def note(self, *, time: datetime, reason: str) -> OrderEvent:
        """Record a change that keeps the status (e.g. the gate cut the size) as an event."""
        if not self.is_placed:
            raise IllegalTransition(f"order {self.id} is not placed yet")
        event = OrderEvent(time, self.status, self.status, reason)
        self.events.append(event)
        return event

    def place(self, *, time: datetime, needs_approval: bool, reason: str = "") -> OrderEvent:
        """Record the placement: `pending_approval` when a guardian must approve, else `accepted`."""
        if needs_approval:
            return self.transition(
                OrderStatus.PENDING_APPROVAL,
                time=time,
                reason=reason or "waiting for a guardian's approval",
            )
        return self.transition(OrderStatus.ACCEPTED, time=time, reason=reason or "accepted")

    def reject(
        self,
        *,
        time: datetime,
        reason: str,
        code: str,
        figures: Figures = field(default_factory=no_figures),
    ) -> OrderEvent:
        """Reject the order (at placement, at approval or when a resting order triggers)."""
        return self.transition(
            OrderStatus.REJECTED, time=time, reason=reason, code=code, figures=figures
        )

    def cancel(self, *, time: datetime, reason: str = "cancelled by the user") -> OrderEvent:
        """Cancel an open order; raises `OrderNotCancellable` when it is already terminal."""
        if not self.is_open:
            state = self.status.value if self.is_placed else "unplaced"
            raise OrderNotCancellable(
                f"This order is already {state.replace('_', ' ')}, so there is nothing left to "
                "cancel."
            )
        return self.transition(OrderStatus.CANCELLED, time=time, reason=reason)

    def expire(self, *, time: datetime, reason: str) -> OrderEvent:
        """Expire an open order (day order at the session end, approval that timed out)."""
        return self.transition(OrderStatus.EXPIRED, time=time, reason=reason)

    # ----- quantities ------------------------------------------------------------------------

    @property
    def remaining_quantity(self) -> Decimal | None:
        """Units still to fill for a quantity order; `None` for a notional order."""
        if self.quantity is None:
            return None
        return self.quantity - self.filled_quantity

    @property
    def remaining_notional(self) -> Decimal | None:
        """Cash still to trade for a notional order; `None` for a quantity order."""
        if self.notional is None:
            return None
        return self.notional - self.filled_notional

    def quantity_wanted_at(self, price: Decimal) -> Decimal:
        """Units the rest of the order asks for at `price` (notional orders round down to the grid)."""
        remaining = self.remaining_quantity
        if remaining is not None:
            return remaining
        notional_left = self.remaining_notional or Decimal(0)
        if notional_left <= 0:
            return Decimal(0)
        return to_quantity(notional_left / price)

    def apply_fill(self, fill: Fill) -> OrderEvent:
        """Add a fill to the order, moving it to `partially_filled` or `filled`.

        A notional order counts as filled once its remaining cash buys less than one quantity step
        at the fill's price.
        """
        if fill.order_id != self.id or fill.symbol != self.symbol or fill.side is not self.side:
            raise InvalidFill(f"fill {fill.id} does not belong to order {self.id}")
        if not self.is_working:
            raise InvalidFill(f"order {self.id} is {self.status.value} and cannot take fills")
        wanted = self.quantity_wanted_at(fill.price)
        if fill.quantity > wanted:
            raise InvalidFill(
                f"fill of {fill.quantity} exceeds the {wanted} order {self.id} still wants"
            )
        self.filled_quantity += fill.quantity
        self.filled_notional += fill.notional
        self.commission_paid += fill.commission
        self.fill_count += 1
        self.average_fill_price = (self.filled_notional / self.filled_quantity).quantize(
            AVERAGE_PRICE_PLACES
        )
        done = self.quantity_wanted_at(fill.price) < QUANTITY_PLACES
        to_status = OrderStatus.FILLED if done else OrderStatus.PARTIALLY_FILLED
        reason = f"filled {format_quantity(fill.quantity)} at {format_price(fill.price)}"
        return self.transition(to_status, time=fill.time, reason=reason)
