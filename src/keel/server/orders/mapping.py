"""Conversions between stored rows and the domain's objects (orders, fills, ledger entries)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from keel.domain.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from keel.domain.fills import Fill
from keel.domain.ledger import LedgerEntry, LedgerEntryKind
from keel.domain.money import plain_decimal
from keel.domain.orders import Order, OrderCut, OrderEvent
from keel.server.accounts.models import LedgerEntryRow
from keel.server.orders.models import FillRow, OrderRow

STORED_PLACES = Decimal("0.000001")
"""Scale of the `Money` columns on PostgreSQL (NUMERIC(20, 6))."""


def order_from_row(row: OrderRow) -> Order:
    """The domain `Order` in its stored state.

    Only the current state is needed to go on trading, so the history is represented by one
    stand-in event carrying the last status and reason; it is never written back (new events are
    numbered from `row.event_count`).
    """
    status = OrderStatus(row.status)
    return Order(
        id=row.id,
        account_id=row.account_id,
        symbol=row.symbol,
        side=OrderSide(row.side),
        type=OrderType(row.type),
        quantity=row.quantity,
        notional=row.notional,
        limit_price=row.limit_price,
        stop_price=row.stop_price,
        time_in_force=TimeInForce(row.time_in_force),
        client_order_id=row.client_order_id,
        created_at=row.created_at,
        status=status,
        filled_quantity=row.filled_quantity,
        filled_notional=row.filled_notional,
        average_fill_price=row.average_fill_price,
        commission_paid=row.commission_paid,
        fill_count=row.fill_count,
        triggered_at=row.triggered_at,
        rejection_code=row.rejection_code,
        events=[OrderEvent(row.updated_at, None, status, row.status_reason, row.rejection_code)],
        requested_quantity=row.requested_quantity,
        requested_notional=row.requested_notional,
        cut=cut_from_json(row.cut),
    )


def copy_order_to_row(order: Order, row: OrderRow) -> None:
    """Write the order's mutable state onto its row (quantities may be cut by the gate)."""
    row.status = order.status.value
    row.quantity = order.quantity
    row.notional = order.notional
    row.requested_quantity = order.requested_quantity
    row.requested_notional = order.requested_notional
    row.cut = cut_as_json(order.cut)
    row.filled_quantity = order.filled_quantity
    row.filled_notional = order.filled_notional
    row.average_fill_price = order.average_fill_price
    row.commission_paid = order.commission_paid
    row.fill_count = order.fill_count
    row.triggered_at = order.triggered_at
    row.rejection_code = order.rejection_code
    if order.events:
        row.status_reason = order.events[-1].reason[:500]


def cut_as_json(cut: OrderCut | None) -> dict[str, Any] | None:
    """An order's cut as stored (figures as plain decimal strings, never `1E+3`)."""
    if cut is None:
        return None
    figures = {
        name: plain_decimal(value) if isinstance(value, Decimal) else str(value)
        for name, value in cut.figures.items()
    }
    return {"detail": cut.detail, "reason": cut.reason, "figures": figures}


def cut_from_json(stored: dict[str, Any] | None) -> OrderCut | None:
    if not stored:
        return None
    return OrderCut(stored["detail"], stored.get("reason", ""), stored.get("figures", {}))


def fill_from_row(row: FillRow | Any) -> Fill:
    """A `Fill` from a `FillRow` or a plain result row with the same column names."""
    return Fill(
        id=row.id,
        order_id=row.order_id,
        account_id=row.account_id,
        symbol=row.symbol,
        side=OrderSide(row.side),
        quantity=_grid(row.quantity),
        price=_grid(row.price),
        commission=_grid(row.commission),
        time=row.time,
    )


def fill_as_stored(fill: Fill, dialect: str) -> Fill:
    """`fill` as reading it back from the database gives it (same values; the same exponents, so
    positions print the same whether their fills came from storage or from a cache)."""
    if dialect == "sqlite":
        return replace(
            fill,
            quantity=_grid(fill.quantity.normalize()),
            price=_grid(fill.price.normalize()),
            commission=_grid(fill.commission.normalize()),
        )
    return replace(
        fill,
        quantity=fill.quantity.quantize(STORED_PLACES),
        price=fill.price.quantize(STORED_PLACES),
        commission=fill.commission.quantize(STORED_PLACES),
    )


def entry_from_row(row: LedgerEntryRow) -> LedgerEntry:
    return LedgerEntry(
        sequence=row.sequence,
        time=row.time,
        kind=LedgerEntryKind(row.kind),
        amount=row.amount,
        balance_after=row.balance_after,
        epoch=row.epoch,
        reference=row.reference,
        memo=row.memo,
    )


def _grid(value: Decimal) -> Decimal:
    # SQLite returns normalised text (1E+2); the grid checks only care about the value.
    return value if value.as_tuple().exponent <= 0 else value.quantize(Decimal(1))  # type: ignore[operator]
