"""Property (issue 2): for any sequence of orders, quotes, fills, approvals, cancels and session
closes, cash equals the sum of the ledger, positions equal the sum of fills, cash never goes below
zero, and every order's books agree with its fills. Prices walk the real SPX history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

from keel.domain.account import Account
from keel.domain.enums import OrderSide, OrderType, TimeInForce
from keel.domain.errors import DomainError
from keel.domain.fills import Fill
from keel.domain.ledger import ledger_sum
from keel.domain.money import to_price
from keel.engine import ExecutionConfig, ExecutionEngine, ExecutionResult
from tests.unit.domain.factories import request, spx_closes

from .factories import engine_with_account, tick

D = Decimal


@dataclass(frozen=True)
class Action:
    kind: str
    side: OrderSide
    type: OrderType
    size: Decimal  # units, or cash for notional orders
    by_notional: bool
    offset_bps: int  # limit/stop distance from the last price
    gtc: bool
    needs_approval: bool
    pick: int  # which open order to cancel / approve / decline
    touch_size: Decimal | None


actions = st.builds(
    Action,
    kind=st.sampled_from(["quote"] * 4 + ["place"] * 4 + ["cancel", "close", "approve", "decline"]),
    side=st.sampled_from([OrderSide.BUY, OrderSide.BUY, OrderSide.SELL]),
    type=st.sampled_from(list(OrderType)),
    size=st.decimals(min_value=D("0.01"), max_value=D("8"), places=2),
    by_notional=st.booleans(),
    offset_bps=st.integers(min_value=-300, max_value=300),
    gtc=st.booleans(),
    needs_approval=st.sampled_from([False, False, False, True]),
    pick=st.integers(min_value=0, max_value=10),
    touch_size=st.one_of(
        st.none(), st.none(), st.decimals(min_value=D("0"), max_value=D("10"), places=3)
    ),
)

configs = st.builds(
    ExecutionConfig,
    slippage_bps=st.sampled_from([D("0"), D("2"), D("25")]),
    commission_per_unit=st.sampled_from([D("0"), D("0.005")]),
    commission_bps=st.sampled_from([D("0"), D("5")]),
    commission_minimum=st.sampled_from([D("0"), D("1.00")]),
    cancel_market_remainder=st.booleans(),
)


def perform(engine: ExecutionEngine, action: Action, last: Decimal) -> ExecutionResult:
    price = to_price(last * (1 + D(action.offset_bps) / 10000))
    limit = price if action.type in (OrderType.LIMIT, OrderType.STOP_LIMIT) else None
    stop = price if action.type in (OrderType.STOP, OrderType.STOP_LIMIT) else None
    order_request = request(
        side=action.side,
        type=action.type,
        quantity=action.size,
        notional=action.size * 100 if action.by_notional else None,
        limit_price=limit,
        stop_price=stop,
        time_in_force=TimeInForce.GTC if action.gtc else TimeInForce.DAY,
    )
    placement = engine.place(order_request, needs_approval=action.needs_approval)
    return placement.result


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=4900),
    cash=st.decimals(min_value=D("500"), max_value=D("50000"), places=2),
    plan=st.lists(actions, min_size=10, max_size=40),
    config=configs,
    shorting=st.sampled_from([False, False, True]),
)
def test_books_balance_for_any_sequence(
    start: int, cash: Decimal, plan: list[Action], config: ExecutionConfig, shorting: bool
) -> None:
    engine, account, clock = engine_with_account(cash, config, shorting_allowed=shorting)
    closes = spx_closes()
    step = start
    fills: list[Fill] = []
    engine.on_quote(tick(engine, clock, closes[step]))
    for action in plan:
        last = closes[step]
        open_orders = engine.orders(open_only=True)
        chosen = open_orders[action.pick % len(open_orders)] if open_orders else None
        try:
            if action.kind == "quote":
                step += 1
                result = engine.on_quote(tick(engine, clock, closes[step], size=action.touch_size))
            elif action.kind == "place":
                result = perform(engine, action, last)
            elif action.kind == "close":
                result = engine.close_session()
            elif chosen is None:
                continue
            elif action.kind == "cancel":
                result = engine.cancel(chosen.id)
            elif action.kind == "approve":
                result = engine.approve(chosen.id)
            else:
                result = engine.decline(chosen.id, "no")
        except DomainError:
            continue  # e.g. approving an order that is not pending: refused, nothing changed
        fills.extend(result.fills)
        check_books(engine, account, fills)
    event(f"fills: {min(len(fills), 5)}+" if fills else "no fills")
    statuses = {order.status.value for order in engine.orders()}
    event(f"saw partial or cancelled rest: {bool(statuses & {'partially_filled', 'cancelled'})}")


def check_books(engine: ExecutionEngine, account: Account, fills: list[Fill]) -> None:
    assert account.cash == ledger_sum(account.ledger.entries)
    assert account.cash >= 0
    assert account.invariant_violations() == []
    held: dict[str, Decimal] = defaultdict(Decimal)
    per_order: dict[str, Decimal] = defaultdict(Decimal)
    for fill in fills:
        held[fill.symbol] += fill.signed_quantity
        per_order[fill.order_id] += fill.quantity
    for symbol, quantity in held.items():
        assert account.position(symbol).quantity == quantity
        assert quantity >= 0 or account.shorting_allowed
    assert list(account.fills) == fills
    open_ids = set()
    for order in engine.orders():
        assert order.filled_quantity == per_order[order.id]
        if order.quantity is not None:
            assert order.filled_quantity <= order.quantity
        if order.notional is not None:
            assert order.filled_notional <= order.notional
        assert (order.id in engine.book) == order.is_working
        if order.is_open:
            open_ids.add(order.id)
    assert set(account.reservations) <= open_ids
    for fill in fills:
        order = engine.order(fill.order_id)
        if order.limit_price is not None:
            assert (
                fill.price <= order.limit_price
                if fill.side is OrderSide.BUY
                else fill.price >= order.limit_price
            )
