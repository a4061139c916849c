"""The order gate: circuit-breaker permission and account rules, as checks composed in a chain.

Each check implements `keel.domain.gate.OrderGate` (``check(order, context) -> GateDecision``). The
engine asks at placement, at a guardian's approval and when a resting order triggers.

Breaker permission (the tightest level for the order's account and symbol, from the board):

- CLOSED: no order; cancels only (cancels never reach the gate);
- RESTRICTED: reducing orders pass; new exposure is allowed only up to a small cap, so that the
  position after the order is worth at most ``restricted_fraction × max_position_fraction ×
  equity`` (default 10 % of normal): a lasting storm means small positions, not none;
- CAUTIOUS: reducing orders pass; new exposure is capped at ``multiplier ×
  max_position_fraction × equity``, the multiplier being the symbol regime's size multiplier, and
  never more than the HIGH regime's (CAUTIOUS set by the market or the account still halves new
  exposure in a calm symbol).

An order above the cap is **reduced** to it (the default; ``reject`` is the alternative); no room
left → refused. A refusal or a cut names the instrument and the breaker, says why in plain words
and what must change (or when, inside market hours, trading may ease); the numbers go to the
decision's `figures`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from keel.domain.account import Account
from keel.domain.enums import OrderSide, Permission, Regime
from keel.domain.errors import Figure as DomainFigure
from keel.domain.gate import (
    GATE_REFUSED,
    GateContext,
    GateDecision,
    GateReview,
    OrderGate,
    wanted_units,
)
from keel.domain.instruments import instrument_label
from keel.domain.money import (
    QUANTITY_PLACES,
    format_money,
    to_money,
    to_quantity,
)
from keel.domain.orders import Order
from keel.risk.board import BreakerBoard, Verdict
from keel.risk.minors import MinorRulesCheck
from keel.risk.sessions import in_market_hours, shown_time
from keel.risk.sizing import DEFAULT_REGIME_MULTIPLIERS
from keel.risk.transitions import Figure
from keel.risk.unlocks import LessonLockCheck
from keel.risk.wording import instrument

ZERO = Decimal(0)
RESTRICTED_FRACTION = Decimal("0.10")
"""RESTRICTED's cap: a new position may be worth this share of the normal size."""
BREAKER_CLOSED = "breaker-closed"
BREAKER_RESTRICTED = "breaker-restricted"
BREAKER_CAUTIOUS_CAP = "breaker-cautious-cap"
BREAKER_CODES = frozenset({BREAKER_CLOSED, BREAKER_RESTRICTED, BREAKER_CAUTIOUS_CAP})
"""The codes of an order refused or cut by a circuit breaker (a class's leaderboard counts them)."""
MIN_ROOM = Decimal("1")
"""Room under a cap worth less than this (one unit of currency) counts as none: a cut to a few
micro-units is a refusal, said as one, not an order cut to nothing further down."""


class CautiousAction(StrEnum):
    """What a capped level (CAUTIOUS, RESTRICTED) does with an order above the cap."""

    REDUCE = "reduce"
    REJECT = "reject"


def equity_estimate(account: Account, symbol: str, price: Decimal) -> Decimal:
    """Cash plus positions: `symbol` at `price`, other symbols at cost (the gate sees one quote)."""
    prices = {s: p.average_cost for s, p in account.positions.items() if not p.is_flat}
    prices[symbol] = price
    return account.equity(prices)


def _when(verdict: Verdict) -> str:
    if verdict.condition is not None:
        return f"This eases once {verdict.condition}."
    if verdict.reopen_at is None:
        return "This eases when the reason above no longer holds."
    return f"It may ease at {shown_time(in_market_hours(verdict.reopen_at))}."


def _figures(verdict: Verdict, extra: Mapping[str, Figure] | None = None) -> dict[str, Figure]:
    """The numbers behind a decision, JSON-ready (a non-finite float, e.g. a vol still warming
    up, is left out rather than sent as NaN)."""
    figures: dict[str, Figure] = {"permission": verdict.level.name}
    for key, value in {**verdict.figures, **(extra or {})}.items():
        if not (isinstance(value, float) and not math.isfinite(value)):
            figures[key] = value
    return figures


@dataclass
class BreakerCheck:
    """Circuit-breaker permission for the order's (account, symbol), from a `BreakerBoard`."""

    board: BreakerBoard
    multipliers: Mapping[Regime, float] = field(default_factory=lambda: DEFAULT_REGIME_MULTIPLIERS)
    max_position_fraction: Decimal = Decimal("1")
    cautious_action: CautiousAction = CautiousAction.REDUCE
    restricted_fraction: Decimal = RESTRICTED_FRACTION

    def cautious_multiplier(self, regime: Regime) -> Decimal:
        """The size multiplier at CAUTIOUS: the regime's, at most the HIGH regime's."""
        value = min(self.multipliers[regime], self.multipliers[Regime.HIGH])
        return Decimal(str(value))

    def size_multiplier(self, verdict: Verdict) -> Decimal:
        """The share of the normal position size a capped level allows."""
        if verdict.level is Permission.RESTRICTED:
            return min(self.restricted_fraction, self.cautious_multiplier(verdict.regime))
        return self.cautious_multiplier(verdict.regime)

    def check(self, order: Order, context: GateContext) -> GateDecision:
        verdict = self.board.verdict(order.account_id, order.symbol)
        level = verdict.level
        if level is Permission.OPEN:
            return GateDecision.allow("no circuit breaker applies")
        if level is Permission.CLOSED:
            headline = (
                f"Trading in {instrument(order.symbol)} is paused (CLOSED): no new orders for now, "
                "though you can still cancel"
            )
            return self._refuse(verdict, headline, BREAKER_CLOSED)
        if context.reduces_exposure:
            return GateDecision.allow(
                f"allowed at {level.name}: the order makes an existing position in "
                f"{instrument(order.symbol)} smaller, which is always fine",
                permission=level,
                figures=_figures(verdict),
            )
        return self._capped(order, context, verdict)

    def _refuse(
        self,
        verdict: Verdict,
        headline: str,
        code: str,
        figures: Mapping[str, Figure] | None = None,
    ) -> GateDecision:
        reason = f"{headline}. The {verdict.breaker} says: {verdict.reason}. {_when(verdict)}"
        return GateDecision.refuse(
            reason,
            permission=verdict.level,
            breaker=verdict.breaker,
            reopen_at=verdict.reopen_at,
            code=code,
            figures=_figures(verdict, figures),
        )

    def _capped(self, order: Order, context: GateContext, verdict: Verdict) -> GateDecision:
        """CAUTIOUS and RESTRICTED: new exposure up to the level's share of the normal size."""
        level, name = verdict.level, instrument(order.symbol)
        code = BREAKER_RESTRICTED if level is Permission.RESTRICTED else BREAKER_CAUTIOUS_CAP
        price = context.reference_price
        units = wanted_units(order, context)
        if price is None or price <= 0 or units is None:
            return self._refuse(
                verdict, f"No price is known for {name} to size the order", "no-market-data"
            )
        multiplier = self.size_multiplier(verdict)
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
            f"{level.name} caps a position in {name} at {float(multiplier) * 100:g}% of the normal "
            f"size, worth {to_money(cap_value):,} now"
        )
        figures: dict[str, Figure] = {
            "size_multiplier": str(multiplier),
            "max_position_fraction": str(self.max_position_fraction),
            "max_position_value": str(to_money(cap_value)),
            "held_units": str(held),
            "wanted_units": str(to_quantity(units)),
        }
        if units <= allowed_units:
            return GateDecision.allow(
                f"within the cap: {cap_text}", permission=level, figures=_figures(verdict, figures)
            )
        allowed = to_quantity(max(allowed_units, ZERO))
        figures["allowed_units"] = str(allowed)
        no_room = allowed < QUANTITY_PLACES or allowed * price < MIN_ROOM
        if no_room or self.cautious_action is CautiousAction.REJECT:
            why = "your position already uses all of it" if no_room else "the order is too large"
            return self._refuse(verdict, f"{cap_text}, and {why}", code, figures)
        return GateDecision.allow(
            f"reduced from {to_quantity(units)} to {allowed} units: {cap_text}. The "
            f"{verdict.breaker} says: {verdict.reason}. {_when(verdict)}",
            permission=level,
            reduced_quantity=allowed,
            max_notional=to_money(allowed * price),
            figures=_figures(verdict, figures),
            code=code,
            breaker=verdict.breaker,
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
            f"Not enough money: buying {instrument_label(order.symbol)} needs about "
            f"{format_money(context.estimated_notional)}, but you have "
            f"{format_money(available)} free to spend (cash set aside for your other open orders "
            "is not free). Buy less, or cancel an open order first.",
            permission=Permission.OPEN,
            code="insufficient-funds",
            figures={
                "symbol": order.symbol,
                "needed": to_money(context.estimated_notional),
                "available": to_money(available),
            },
        )


@dataclass
class PositionLimitCheck:
    """The position after the order is worth at most a cash limit: the tightest of the
    account's own (`Account.position_limit`, e.g. a class's "no position above 50 % of the
    starting cash"), this check's per-account one, and its default."""

    default_limit: Decimal | None = None
    per_account: Mapping[str, Decimal] | None = None

    def limit_for(self, order: Order, context: GateContext) -> Decimal | None:
        """The cash limit on one position of the order's account (None: no limit)."""
        limits = [
            limit
            for limit in (
                context.account.position_limit,
                (self.per_account or {}).get(order.account_id, self.default_limit),
            )
            if limit is not None
        ]
        return min(limits) if limits else None

    def check(self, order: Order, context: GateContext) -> GateDecision:
        limit = self.limit_for(order, context)
        price, units = context.reference_price, wanted_units(order, context)
        if limit is None or context.reduces_exposure or price is None or units is None:
            return GateDecision.allow("no position limit applies")
        held = context.account.position(order.symbol).quantity
        signed = units if order.side is OrderSide.BUY else -units
        after = abs(held + signed) * price
        if after <= limit:
            return GateDecision.allow("within the position limit")
        return GateDecision.refuse(
            f"Too big: after this order you would hold {instrument_label(order.symbol)} worth "
            f"about {format_money(after)}, and one position may be worth at most "
            f"{format_money(limit)}. Place a smaller order.",
            permission=Permission.OPEN,
            code="position-limit",
            figures={
                "symbol": order.symbol,
                "position_value_after": to_money(after),
                "limit": to_money(limit),
            },
        )


@dataclass
class GateChain:
    """Runs checks in order: the first refusal wins; a reduction carries on to the next checks."""

    checks: Sequence[OrderGate]

    def check(self, order: Order, context: GateContext) -> GateDecision:
        return self._run(order, context, every=False).decision

    def review(self, order: Order, context: GateContext) -> GateReview:
        """Every check's verdict (past a refusal too), and the decision `check` gives."""
        return self._run(order, context, every=True)

    def _run(self, order: Order, context: GateContext, *, every: bool) -> GateReview:
        reduced: Decimal | None = None
        max_notional: Decimal | None = None
        permission = Permission.OPEN
        reasons: list[str] = []
        codes: list[str] = []
        figures: dict[str, DomainFigure] = {}
        verdicts: list[GateDecision] = []
        refusal: GateDecision | None = None
        for check in self.checks:
            decision = check.check(order, context)
            verdicts.append(decision)
            if not decision.allowed:
                refusal = refusal or decision
                if every:
                    continue
                break
            permission = max(permission, decision.permission)
            figures.update(decision.figures or {})
            if decision.reduced_quantity is not None:
                reduced = _smaller(reduced, decision.reduced_quantity)
                reasons.append(decision.reason)
                codes.append(decision.code)
                if context.reference_price is not None:
                    context = replace(context, estimated_notional=reduced * context.reference_price)
            if decision.max_notional is not None:
                max_notional = _smaller(max_notional, decision.max_notional)
        if refusal is not None:
            return GateReview(refusal, tuple(verdicts))
        reason = "; ".join(reasons) if reasons else "allowed"
        allowed = GateDecision.allow(
            reason,
            permission=permission,
            reduced_quantity=reduced,
            max_notional=max_notional,
            figures=figures or None,
            code=codes[-1] if codes else GATE_REFUSED,
        )
        return GateReview(allowed, tuple(verdicts))


def _smaller(current: Decimal | None, new: Decimal) -> Decimal:
    return new if current is None else min(current, new)


def standard_gate(
    board: BreakerBoard,
    *,
    position_limit: Decimal | None = None,
    cautious_action: CautiousAction = CautiousAction.REDUCE,
) -> GateChain:
    """Lesson locks (`keel.risk.unlocks`), breakers, then minors' rules (`keel.risk.minors`: the
    guardian limits come with each minor's account), position limit and buying power, in that
    order."""
    return GateChain(
        [
            LessonLockCheck(),
            BreakerCheck(board, cautious_action=cautious_action),
            MinorRulesCheck(),
            PositionLimitCheck(position_limit),
            BuyingPowerCheck(),
        ]
    )
