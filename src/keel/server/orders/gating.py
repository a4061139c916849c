"""Wrappers around the risk layer's order gate for a workspace's engine."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from keel.domain.gate import GateContext, GateDecision, OrderGate
from keel.domain.orders import Order


@runtime_checkable
class StopOrderAware(Protocol):
    """A gate that is told which of an account's filled orders were stop orders."""

    def note_stop_orders(self, account_id: str, order_ids: frozenset[str]) -> None: ...


class RecordingGate:
    """Wraps a gate and remembers its last refusal, so the API can name the breaker and reopen time."""

    def __init__(self, gate: OrderGate) -> None:
        self.gate = gate
        self.last_refusal: GateDecision | None = None

    def check(self, order: Order, context: GateContext) -> GateDecision:
        decision = self.gate.check(order, context)
        if not decision.allowed:
            self.last_refusal = decision
        return decision
