"""Minors' rules of the order gate: one check, used by the server's order path and the backtester.

A minor's account (`Account.is_minor`) carries the limits of its linked guardians
(`Account.guardian_limits`, `None` when no guardian is linked). The check is handed that data with
the account; it never looks anything up. In order:

| rule | stages | problem code |
|---|---|---|
| a guardian must be linked (else no one could approve) | placement | `guardian-required` |
| the guardian has not paused trading | placement | `trading-paused` |
| never short: a sell of at most the units held and not promised | every stage | `minor-no-short` |
| the order's value at most the guardian's per-order limit | placement, approval | `guardian-order-limit` |

An adult's account passes untouched. A guardian approving an order is the guardian's own decision,
so a pause set later does not block it; the per-order limit is judged again at approval because
the price may have moved while the order waited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.enums import OrderSide, Permission
from keel.domain.errors import Figures
from keel.domain.gate import GateContext, GateDecision, GateStage, wanted_units
from keel.domain.instruments import instrument_label
from keel.domain.money import format_money, format_quantity, to_money, to_quantity
from keel.domain.orders import Order

GUARDIAN_REQUIRED = "guardian-required"
TRADING_PAUSED = "trading-paused"
MINOR_NO_SHORT = "minor-no-short"
GUARDIAN_ORDER_LIMIT = "guardian-order-limit"

ZERO = Decimal(0)


def _refuse(reason: str, code: str, figures: Figures | None = None) -> GateDecision:
    return GateDecision.refuse(reason, permission=Permission.OPEN, code=code, figures=figures)


def _sellable(account: Account, order: Order) -> Decimal:
    """Units the account may still sell, the order's own reservation given back."""
    own = account.reservations.get(order.id)
    return account.sellable_quantity(order.symbol) + (own.quantity if own else ZERO)


@dataclass(frozen=True)
class MinorRulesCheck:
    """The minors' rules (see the module docstring); implements `keel.domain.gate.OrderGate`."""

    def check(self, order: Order, context: GateContext) -> GateDecision:
        account = context.account
        if not account.is_minor:
            return GateDecision.allow("not a minor's account")
        limits = account.guardian_limits
        if context.stage is GateStage.PLACEMENT:
            if limits is None:
                return _refuse(
                    "Your orders wait for a guardian's approval, and no guardian is linked to "
                    "you yet: ask a parent or guardian for an invitation code first.",
                    GUARDIAN_REQUIRED,
                )
            if limits.trading_paused:
                return _refuse(
                    "Your guardian has paused trading, so you cannot place new orders for now.",
                    TRADING_PAUSED,
                )
        units = wanted_units(order, context)
        if order.side is OrderSide.SELL and units is not None:
            sellable = _sellable(account, order)
            if units > sellable:
                asked = to_quantity(units)
                return _refuse(
                    f"You can only sell what you own: you asked to sell {format_quantity(asked)} "
                    f"{instrument_label(order.symbol)} and have {format_quantity(sellable)} to "
                    "sell (learners under 18 never sell more than they hold).",
                    MINOR_NO_SHORT,
                    {"symbol": order.symbol, "requested_quantity": asked, "sellable": sellable},
                )
        cap = limits.max_order_notional if limits is not None else None
        notional = context.estimated_notional
        judged = context.stage in (GateStage.PLACEMENT, GateStage.APPROVAL)
        if judged and cap is not None and notional is not None and notional > cap:
            return _refuse(
                f"This order for {instrument_label(order.symbol)} is worth about "
                f"{format_money(notional)}, more than the {format_money(cap)} per order your "
                "guardian allows. Try a smaller order, or ask your guardian to raise the limit.",
                GUARDIAN_ORDER_LIMIT,
                {"symbol": order.symbol, "order_value": to_money(notional), "limit": cap},
            )
        return GateDecision.allow("within a minor's rules")
