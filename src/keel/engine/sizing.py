"""Valuing an order before it fills: the price, units and cash it is expected to need.

Used for buying-power reservations, for what the gate is told, and to apply a gate's size caps.
Estimates are deliberately cautious: a buy is valued at the worst price it may pay (its limit, or
the touch plus slippage), so the cash it reserves covers the fill in all but gap-through stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType, Permission
from keel.domain.errors import Figure, NoMarketData
from keel.domain.fills import cash_down, cash_up
from keel.domain.gate import GateContext, GateDecision, GateStage
from keel.domain.instruments import instrument_label
from keel.domain.money import format_money, format_quantity, to_quantity
from keel.domain.orders import Order, OrderCut
from keel.domain.quotes import Quote
from keel.engine.config import ExecutionConfig
from keel.engine.fill_model import LIMIT_TYPES, fill_price, order_commission

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """Expected fill of what is left of an order: `price` (per unit, `None` if unknown), `quantity`
    (units) and `notional` (cash, rounded up to the cent)."""

    price: Decimal | None
    quantity: Decimal
    notional: Decimal


def reference_price(order: Order, quote: Quote | None, config: ExecutionConfig) -> Decimal | None:
    """Worst price the order is expected to trade at; `None` for a market order with no quote."""
    if order.type in LIMIT_TYPES:
        return order.limit_price
    touch = fill_price(order.side, quote, config) if quote is not None else None
    if order.type is OrderType.MARKET:
        return touch
    stop = order.stop_price
    if touch is None:
        return stop
    assert stop is not None  # a stop order always has a stop price
    return max(stop, touch) if order.side is OrderSide.BUY else min(stop, touch)


def estimate(order: Order, quote: Quote | None, config: ExecutionConfig) -> Estimate:
    """Price, units and cash of what is left of `order`, valued at `reference_price`."""
    price = reference_price(order, quote, config)
    if price is None:
        remaining = order.remaining_quantity or ZERO
        return Estimate(None, remaining, order.remaining_notional or ZERO)
    quantity = order.quantity_wanted_at(price)
    if order.remaining_notional is not None:
        return Estimate(price, quantity, cash_up(order.remaining_notional))
    return Estimate(price, quantity, cash_up(quantity * price))


def reduces_exposure(order: Order, account: Account, quantity: Decimal) -> bool:
    """True when filling `quantity` of `order` only shrinks the account's existing position."""
    held = account.position(order.symbol).quantity
    if order.side is OrderSide.SELL:
        return ZERO < quantity <= held
    return ZERO < quantity <= -held


def amend_to_decision(
    order: Order, decision: GateDecision, price: Decimal, *, time: datetime
) -> str | None:
    """Cut what is left of `order` to the gate's `reduced_quantity` / `max_notional` at `price`.

    Records the cut on `order.cut` (plain words and figures) and returns it as a note (also an
    event when the order is already placed), or `None` when nothing changed.
    """
    caps: list[Decimal] = []
    if decision.reduced_quantity is not None:
        caps.append(to_quantity(decision.reduced_quantity))
    if decision.max_notional is not None:
        caps.append(to_quantity(decision.max_notional / price))
    if not caps:
        return None
    allowed_units = max(min(caps), ZERO)
    label = instrument_label(order.symbol)
    verb = order.side.value
    if order.quantity is not None:
        remaining = order.quantity - order.filled_quantity
        if allowed_units >= remaining:
            return None
        order.quantity = order.filled_quantity + allowed_units
        asked = f"you asked to {verb} {format_quantity(remaining)} {label}"
        accepted = f"{format_quantity(allowed_units)} of them were accepted"
        figures: dict[str, Figure] = {
            "requested_quantity": remaining,
            "accepted_quantity": allowed_units,
        }
    elif order.notional is not None:
        remaining_cash = order.notional - order.filled_notional
        allowed_cash = cash_down(allowed_units * price)
        if allowed_cash >= remaining_cash:
            return None
        order.notional = order.filled_notional + allowed_cash
        asked = f"you asked to {verb} {format_money(remaining_cash)} worth of {label}"
        accepted = f"{format_money(allowed_cash)} worth was accepted"
        figures = {"requested_notional": remaining_cash, "accepted_notional": allowed_cash}
    else:
        return None
    figures["price"] = price
    detail = f"Your order was made smaller: {asked}, and {accepted}. {_why_cut(decision, label)}"
    order.cut = OrderCut(detail, decision.reason, {**decision.figures, **figures})
    if order.is_placed:
        order.note(time=time, reason=detail)
    return detail


def _why_cut(decision: GateDecision, label: str) -> str:
    # Which breaker and why is the gate's to say (`OrderCut.reason`): a level may come from the
    # market, the instrument's prices or the account's own losses, so this names none of them.
    if decision.permission is Permission.CAUTIOUS:
        return (
            f"Keel's safety rules (circuit breakers) allow only smaller new positions in {label} "
            "right now, to protect you from big losses."
        )
    if decision.permission is Permission.RESTRICTED:
        return (
            f"Keel's safety rules (circuit breakers) allow only small new positions in {label} "
            "right now, until things calm down."
        )
    return f"A safety rule limits how big an order in {label} may be right now."


def reserve_for(
    order: Order, account: Account, quote: Quote | None, config: ExecutionConfig
) -> None:
    """Reserve on `account` what is left of `order`: cash (estimated cost plus commission) for a
    buy, units for a sell. Raises `NoMarketData` when the order cannot be priced, and the account's
    `InsufficientFunds` / `InsufficientPosition` when it does not fit."""
    planned = estimate(order, quote, config)
    if planned.price is None:
        raise NoMarketData(
            f"There is no price for {instrument_label(order.symbol)} yet, so the "
            f"{order.type.value.replace('_', '-')} order cannot be valued. Try again once the "
            "market has opened.",
            figures={"symbol": order.symbol},
        )
    if order.side is OrderSide.BUY:
        commission = order_commission(planned.quantity, planned.notional, config)
        account.reserve(order.id, order.symbol, order.side, cash=planned.notional + commission)
    else:
        account.reserve(order.id, order.symbol, order.side, quantity=planned.quantity)


def gate_context(
    order: Order,
    account: Account,
    stage: GateStage,
    quote: Quote | None,
    config: ExecutionConfig,
    *,
    time: datetime,
) -> GateContext:
    """What the gate is told about `order` at `stage`, valued on `quote`."""
    planned = estimate(order, quote, config)
    return GateContext(
        stage=stage,
        time=time,
        account=account,
        quote=quote,
        reference_price=planned.price,
        estimated_notional=planned.notional if planned.price is not None else None,
        reduces_exposure=reduces_exposure(order, account, planned.quantity),
    )
