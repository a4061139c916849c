"""What engine calls return: fills and order status changes, in the order they happened."""

from __future__ import annotations

from dataclasses import dataclass, field

from keel.domain.fills import Fill
from keel.domain.orders import Order, OrderEvent


@dataclass(frozen=True, slots=True)
class OrderUpdate:
    """One recorded status change of one order (the order is the live object, after the call)."""

    order: Order
    event: OrderEvent


@dataclass(slots=True)
class ExecutionResult:
    """What an engine call produced, in the order it happened."""

    fills: list[Fill] = field(default_factory=list)
    updates: list[OrderUpdate] = field(default_factory=list)

    def record(self, order: Order, event: OrderEvent) -> None:
        self.updates.append(OrderUpdate(order, event))

    def extend(self, other: ExecutionResult) -> None:
        self.fills.extend(other.fills)
        self.updates.extend(other.updates)


@dataclass(frozen=True, slots=True)
class Placement:
    """The order a placement created (or the original, for a repeated `client_order_id`)."""

    order: Order
    result: ExecutionResult
    duplicate: bool = False
