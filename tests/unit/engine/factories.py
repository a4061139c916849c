"""Factories for engine tests: an engine on a fixed clock with one funded account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.clock import FixedClock
from keel.domain.gate import GateContext, GateDecision, GateStage
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine import ExecutionConfig, ExecutionEngine
from tests.unit.domain.factories import SYMBOL, T0, funded_account


def engine_with_account(
    cash: Decimal = Decimal("100000.00"),
    config: ExecutionConfig | None = None,
    **gate_and_flags: object,
) -> tuple[ExecutionEngine, Account, FixedClock]:
    clock = FixedClock(T0)
    gate = gate_and_flags.pop("gate", None)
    engine = ExecutionEngine(clock, config, gate=gate)  # type: ignore[arg-type]
    account = funded_account(cash, **gate_and_flags)  # type: ignore[arg-type]
    engine.add_account(account)
    return engine, account, clock


def tick(
    engine: ExecutionEngine,
    clock: FixedClock,
    last: Decimal,
    *,
    minutes: int = 1,
    half_spread: Decimal = Decimal("0.25"),
    size: Decimal | None = None,
    symbol: str = SYMBOL,
) -> Quote:
    """Advance the clock and build a quote around `last` (the caller feeds it to the engine)."""
    now: datetime = clock.now() + timedelta(minutes=minutes)
    clock.set(now)
    return Quote(
        symbol=symbol,
        time=now,
        bid=last - half_spread,
        ask=last + half_spread,
        last=last,
        bid_size=size,
        ask_size=size,
    )


@dataclass
class ScriptedGate:
    """A gate that answers from a script and remembers what it was asked."""

    answers: dict[GateStage, GateDecision] = field(default_factory=dict)
    asked: list[tuple[str, GateStage, Decimal | None]] = field(default_factory=list)

    def check(self, order: Order, context: GateContext) -> GateDecision:
        self.asked.append((order.id, context.stage, context.estimated_notional))
        return self.answers.get(context.stage, GateDecision.allow())
