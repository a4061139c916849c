"""The order gate: circuit-breaker permission and account rules, as checks composed in a chain.

Each check implements `keel.domain.gate.OrderGate` (``check(order, context) -> GateDecision``). The
engine asks at placement, at a guardian's approval and when a resting order triggers.

Breaker permission (the tightest level for the order's account and symbol, from the board):

- CLOSED: no order; cancels only (cancels never reach the gate);
- RESTRICTED: only orders that reduce exposure (a sell of at most the long, a buy of at most the
  short);
- CAUTIOUS: reducing orders pass; an order adding exposure is **reduced** (the default; ``reject``
  is the alternative) so that the position after it is worth at most
  ``multiplier × max_position_fraction × equity``, the multiplier being the symbol regime's size
  multiplier, and never more than the HIGH regime's (CAUTIOUS set by the market or the account
  still halves new exposure in a calm symbol). No room left → refused.

A refusal names the breaker, says why in plain words and when trading may reopen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from keel.domain.account import Account
from keel.domain.enums import OrderSide, Permission, Regime
from keel.domain.gate import GateContext, GateDecision, OrderGate
from keel.domain.money import QUANTITY_PLACES, to_money, to_quantity
from keel.domain.orders import Order
from keel.risk.board import BreakerBoard, Verdict
from keel.risk.minors import MinorRulesCheck
from keel.risk.sizing import DEFAULT_REGIME_MULTIPLIERS

ZERO = Decimal(0)


class CautiousAction(StrEnum):
    """What CAUTIOUS does with an order adding more exposure than the cap allows."""

    REDUCE = "reduce"
    REJECT = "reject"


def wanted_units(order: Order, context: GateContext) -> Decimal | None:
    """Units the rest of the order asks for: notional ÷ reference price, or its remaining quantity."""
    price = context.reference_price
    if price is None or price <= 0:
        return order.remaining_quantity
    units = order.quantity_wanted_at(price)
    if context.estimated_notional is not None:
        # A chain that cut the order down passes the cut on through the estimated notional.
        units = min(units, context.estimated_notional / price)
    return units


def equity_estimate(account: Account, symbol: str, price: Decimal) -> Decimal:
    """Cash plus positions: `symbol` at `price`, other symbols at cost (the gate sees one quote)."""
    prices = {s: p.average_cost for s, p in account.positions.items() if not p.is_flat}
    prices[symbol] = price
    return account.equity(prices)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "It reopens when the condition clears."
    return f"It may reopen at {moment.strftime('%Y-%m-%d %H:%M')} UTC."


@dataclass
class BreakerCheck:
    """Circuit-breaker permission for the order's (account, symbol), from a `BreakerBoard`."""

    board: BreakerBoard
    multipliers: Mapping[Regime, float] = field(default_factory=lambda: DEFAULT_REGIME_MULTIPLIERS)
    max_position_fraction: Decimal = Decimal("1")
    cautious_action: CautiousAction = CautiousAction.REDUCE

    def cautious_multiplier(self, regime: Regime) -> Decimal:
        """The size multiplier at CAUTIOUS: the regime's, at most the HIGH regime's."""
        value = min(self.multipliers[regime], self.multipliers[Regime.HIGH])
        return Decimal(str(value))

    def check(self, order: Order, context: GateContext) -> GateDecision:
        verdict = self.board.verdict(order.account_id, order.symbol)
        level = verdict.level
        if level is Permission.OPEN:
            return GateDecision.allow("no circuit breaker applies")
        if level is Permission.CLOSED:
            return self._refuse(verdict, f"Trading in {order.symbol} is closed", "breaker-closed")
        if context.reduces_exposure:
            return GateDecision.allow(
                f"allowed at {level.name}: the order reduces an existing position",
                permission=level,
            )
        if level is Permission.RESTRICTED:
            return self._refuse(
                verdict,
                f"Only orders that reduce a position are allowed in {order.symbol}",
                "breaker-restricted",
            )
        return self._cautious(order, context, verdict)

    def _refuse(self, verdict: Verdict, headline: str, code: str) -> GateDecision:
        reason = (
            f"{headline}: the {verdict.breaker} says {verdict.reason}. {_when(verdict.reopen_at)}"
        )
        return GateDecision.refuse(
            reason,
            permission=verdict.level,
            breaker=verdict.breaker,
            reopen_at=verdict.reopen_at,
            code=code,
        )

    def _cautious(self, order: Order, context: GateContext, verdict: Verdict) -> GateDecision:
        price = context.reference_price
        units = wanted_units(order, context)
        if price is None or price <= 0 or units is None:
            return self._refuse(
                verdict, f"No price is known for {order.symbol} to size the order", "no-market-data"
            )
        multiplier = self.cautious_multiplier(verdict.regime)
        cap_value = (
            multiplier
            * self.max_position_fraction
            * equity_estimate(context.account, order.symbol, price)
        )
        held = context.account.position(order.symbol).quantity
        direction = Decimal(1) if order.side is OrderSide.BUY else Decimal(-1)
        cap_units = max(cap_value, ZERO) / price
        same_way = held * direction >= 0
        allowed_units = cap_units - abs(held) if same_way else cap_units + abs(held)
        cap_text = (
            f"CAUTIOUS caps a position in {order.symbol} at {multiplier:g} × "
            f"{self.max_position_fraction:g} × equity = {to_money(cap_value)}"
        )
        if units <= allowed_units:
            return GateDecision.allow(f"within the cap: {cap_text}", permission=Permission.CAUTIOUS)
        allowed = to_quantity(max(allowed_units, ZERO))
        if allowed < QUANTITY_PLACES or self.cautious_action is CautiousAction.REJECT:
            why = "no room is left" if allowed < QUANTITY_PLACES else "the order is too large"
            return self._refuse(verdict, f"{cap_text}, and {why}", "breaker-cautious-cap")
        return GateDecision.allow(
            f"reduced from {to_quantity(units)} to {allowed} units: {cap_text} "
            f"(the {verdict.breaker} says {verdict.reason})",
            permission=Permission.CAUTIOUS,
            reduced_quantity=allowed,
            max_notional=to_money(allowed * price),
        )


@dataclass
class BuyingPowerCheck:
    """A buy must be paid for: its notional at most buying power (its own reservation added back)."""

    def check(self, order: Order, context: GateContext) -> GateDecision:
        if order.side is not OrderSide.BUY or context.estimated_notional is None:
            return GateDecision.allow("buying power not needed")
        account = context.account
        own = account.reservations.get(order.id)
        available = account.buying_power + (own.cash if own is not None else ZERO)
        if context.estimated_notional <= available:
            return GateDecision.allow("enough buying power")
        return GateDecision.refuse(
            f"The order needs about {to_money(context.estimated_notional)} but buying power is "
            f"{to_money(available)}",
            permission=Permission.OPEN,
            code="insufficient-funds",
        )


@dataclass
class PositionLimitCheck:
    """The position after the order is worth at most a cash limit (per account, else default)."""

    default_limit: Decimal | None = None
    per_account: Mapping[str, Decimal] | None = None

    def check(self, order: Order, context: GateContext) -> GateDecision:
        limit = (self.per_account or {}).get(order.account_id, self.default_limit)
        price, units = context.reference_price, wanted_units(order, context)
        if limit is None or context.reduces_exposure or price is None or units is None:
            return GateDecision.allow("no position limit applies")
        held = context.account.position(order.symbol).quantity
        signed = units if order.side is OrderSide.BUY else -units
        after = abs(held + signed) * price
        if after <= limit:
            return GateDecision.allow("within the position limit")
        return GateDecision.refuse(
            f"The position in {order.symbol} would be worth {to_money(after)}, above the limit "
            f"of {to_money(limit)}",
            permission=Permission.OPEN,
            code="position-limit",
        )


@dataclass
class GateChain:
    """Runs checks in order: the first refusal wins; a reduction carries on to the next checks."""

    checks: Sequence[OrderGate]

    def check(self, order: Order, context: GateContext) -> GateDecision:
        reduced: Decimal | None = None
        max_notional: Decimal | None = None
        permission = Permission.OPEN
        reasons: list[str] = []
        for check in self.checks:
            decision = check.check(order, context)
            if not decision.allowed:
                return decision
            permission = max(permission, decision.permission)
            if decision.reduced_quantity is not None:
                reduced = _smaller(reduced, decision.reduced_quantity)
                reasons.append(decision.reason)
                if context.reference_price is not None:
                    context = replace(context, estimated_notional=reduced * context.reference_price)
            if decision.max_notional is not None:
                max_notional = _smaller(max_notional, decision.max_notional)
        reason = "; ".join(reasons) if reasons else "allowed"
        return GateDecision.allow(
            reason, permission=permission, reduced_quantity=reduced, max_notional=max_notional
        )


def _smaller(current: Decimal | None, new: Decimal) -> Decimal:
    return new if current is None else min(current, new)


def standard_gate(
    board: BreakerBoard,
    *,
    position_limit: Decimal | None = None,
    cautious_action: CautiousAction = CautiousAction.REDUCE,
) -> GateChain:
    """Breakers, then minors' rules (`keel.risk.minors`: the guardian limits come with each
    minor's account), position limit and buying power, in that order."""
    return GateChain(
        [
            BreakerCheck(board, cautious_action=cautious_action),
            MinorRulesCheck(),
            PositionLimitCheck(position_limit),
            BuyingPowerCheck(),
        ]
    )
