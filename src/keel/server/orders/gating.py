"""Wrappers around the risk layer's order gate for a workspace's engine."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from keel.domain.gate import GateContext, GateDecision, GateReview, OrderGate, review_gate
from keel.domain.orders import Order

if TYPE_CHECKING:
    from keel.server.breakers.accounts import OtherAccount


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


@runtime_checkable
class TogetherAware(Protocol):
    """A gate whose limits may bind an account together with its holder's other accounts (a
    minor's guardian's limits); it is then handed those accounts as committed."""

    def judges_together(self, account_id: str) -> bool: ...

    def note_other_accounts(self, account_id: str, others: Sequence[OtherAccount]) -> None: ...


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
