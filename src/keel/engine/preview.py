"""An order preview: what placing an order now would meet, every check at once, nothing kept.

The same steps as `ExecutionEngine.place` (the gate, the cut to the gate's caps, the reservation of
cash or units), run on a draft that is never registered: the gate is asked for *every* check's
verdict (`keel.domain.gate.review_gate`), not just the first refusal, and the reservation is
tried even when the gate refused, so a learner sees all that stands in the way at once. The
reservation is released again; nothing else on the account or the engine changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from keel.domain.enums import OrderSide
from keel.domain.errors import (
    NO_FIGURES,
    Figures,
    InsufficientFunds,
    InsufficientPosition,
    NoMarketData,
    no_figures,
)
from keel.domain.gate import GateDecision, GateStage, review_gate
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order
from keel.engine.execution import ExecutionEngine, nothing_left
from keel.engine.fill_model import order_commission
from keel.engine.sizing import Estimate, amend_to_decision, estimate, gate_context, reserve_for

PREVIEW_ORDER_ID = "preview"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Objection:
    """One thing that would refuse or cut the order: its problem `code`, plain words, figures."""

    code: str
    reason: str
    figures: Figures = field(default_factory=no_figures)
    refuses: bool = True
    """True for a refusal; False for a cut (the order goes ahead, smaller)."""
    breaker: str | None = None


@dataclass(frozen=True, slots=True)
class PlacementPreview:
    """What placing the order now would do.

    `order` is the draft as it would be accepted (cut to the gate's caps, `order.cut` saying why);
    `decision` is the gate's answer as placement gets it; `objections` are every refusal and cut,
    the gate's checks in their order and then the reservation's (buying power, units to sell, a
    price to value it), each judged even when an earlier one refused; `refusal` is the one that
    would reject the order at placement (the first, as placement meets them), `None` if none
    would. `estimate` values what would be accepted at the current quote with the fill model's
    spread and slippage (`price` per unit, `quantity` units, `notional` cash); `commission` is
    the fill model's commission on it (cash); `buying_power` is the account's now (cash).
    """

    order: Order
    decision: GateDecision
    objections: tuple[Objection, ...]
    refusal: Objection | None
    estimate: Estimate
    commission: Decimal
    buying_power: Decimal
    needs_approval: bool

    @property
    def cost(self) -> Decimal:
        """Cash a buy would take (notional plus commission); what a sale would bring (minus it)."""
        if self.order.side is OrderSide.BUY:
            return self.estimate.notional + self.commission
        return self.estimate.notional - self.commission

    @property
    def buying_power_after(self) -> Decimal | None:
        """What stays free to spend once the order is placed (a buy sets its cost aside; a sale's
        money arrives when it fills); `None` when the order would be refused."""
        if self.refusal is not None:
            return None
        if self.order.side is OrderSide.BUY:
            return self.buying_power - self.cost
        return self.buying_power


def preview_placement(
    engine: ExecutionEngine, request: OrderRequest, *, needs_approval: bool = False
) -> PlacementPreview:
    """What `engine.place(request, needs_approval=…)` would meet now, without placing anything."""
    account = engine.account(request.account_id)
    now = engine.clock.now()
    quote = engine.last_quote(request.symbol)
    order = Order.draft(request, order_id=PREVIEW_ORDER_ID, time=now)
    context = gate_context(order, account, GateStage.PLACEMENT, quote, engine.config, time=now)
    review = review_gate(engine.gate, order, context)
    objections = [_objection(verdict) for verdict in review.verdicts if _objects(verdict)]
    refusal = next((o for o in objections if o.refuses), None)
    decision = review.decision
    reference = estimate(order, quote, engine.config).price
    if decision.allowed and reference is not None:
        cut = amend_to_decision(order, decision, reference, time=now)
        if cut is not None and order.quantity_wanted_at(reference) <= 0:
            figures = order.cut.figures if order.cut else NO_FIGURES
            refusal = Objection(decision.code, nothing_left(cut), figures)
            order = Order.draft(request, order_id=PREVIEW_ORDER_ID, time=now)
    try:
        reserve_for(order, account, quote, engine.config)
    except (InsufficientFunds, InsufficientPosition, NoMarketData) as error:
        objection = Objection(error.code, error.message, error.figures)
        if all(o.code != error.code for o in objections):  # a gate may check buying power too
            objections.append(objection)
        refusal = refusal or objection
    finally:
        account.release(order.id)
    planned = estimate(order, quote, engine.config)
    return PlacementPreview(
        order=order,
        decision=decision,
        objections=tuple(objections),
        refusal=refusal,
        estimate=planned,
        commission=order_commission(planned.quantity, planned.notional, engine.config),
        buying_power=account.buying_power,
        needs_approval=needs_approval,
    )


def _objects(verdict: GateDecision) -> bool:
    cuts = verdict.reduced_quantity is not None or verdict.max_notional is not None
    return not verdict.allowed or cuts


def _objection(verdict: GateDecision) -> Objection:
    return Objection(
        verdict.code,
        verdict.reason,
        verdict.figures,
        refuses=not verdict.allowed,
        breaker=verdict.breaker,
    )
