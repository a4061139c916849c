"""Thin adapter: a short-lived `keel.engine.ExecutionEngine` over accounts loaded from the database.

The engine keeps orders in memory; the server keeps them in the database and builds an engine per
transaction. `adopt` puts an order that already exists (loaded from storage) back into the engine:
its reservation is taken again and, if it is working, it rests in the book. The engine has no public
call for this yet, so the adapter reaches into two of its registries; the rules themselves (gate,
reservations, fills, lifecycle) are all the engine's.
"""

from __future__ import annotations

import contextlib
from typing import Protocol, runtime_checkable

from keel.domain.enums import OrderType
from keel.domain.errors import DomainError
from keel.domain.gate import GateContext, GateDecision, OrderGate
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine.execution import ExecutionEngine


class AccountEngine(ExecutionEngine):
    """An `ExecutionEngine` that can take back orders loaded from storage."""

    def adopt(self, order: Order) -> None:
        """Register a stored open (or closed) order: reserve for it and rest it if working."""
        self._orders[order.id] = order
        if order.client_order_id is not None:
            self._client_ids[(order.account_id, order.client_order_id)] = order.id
        account = self._accounts.get(order.account_id)
        if account is not None and order.is_open:
            # Prices moved since placement; a reservation that no longer fits is dropped, and
            # the fill itself is still checked against cash when it happens.
            with contextlib.suppress(DomainError):
                self._reserve(order, account)
        if order.is_working and order.id not in self.book:
            self.book.add(order)

    def set_quote(self, quote: Quote) -> None:
        """Know `quote` as the latest for its symbol without matching anything against it."""
        self._quotes[quote.symbol] = quote


STOP_ORDER_TYPES = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})
"""Order types whose fills are stop exits (the account breaker's stop-loss guard counts them)."""


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
