"""Wrappers around the risk layer's order gate for a workspace's engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol, runtime_checkable

from keel.domain.gate import GateContext, GateDecision, GateReview, OrderGate, review_gate
from keel.domain.orders import Order


@runtime_checkable
class StopOrderAware(Protocol):
    """A gate that is told which of an account's filled orders were stop orders."""

    def note_stop_orders(self, account_id: str, order_ids: frozenset[str]) -> None: ...


@runtime_checkable
class PeakAware(Protocol):
    """A gate that keeps accounts' peak equity (the drawdown rule's reference), which is stored
    with the account so that every process judging it starts from the same peak."""

    def note_peak(self, account_id: str, epoch: int, peak: Decimal | None) -> None: ...

    def peak_equity(self, account_id: str, epoch: int) -> Decimal | None: ...


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

    def review(self, order: Order, context: GateContext) -> GateReview:
        """Every verdict of the wrapped gate (an order preview; nothing is recorded)."""
        return review_gate(self.gate, order, context)
