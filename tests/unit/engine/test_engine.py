"""ExecutionEngine: placement, reservations, idempotency, approvals, cancels, expiry, the book."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from keel.domain.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from keel.domain.errors import IllegalTransition, OrderNotCancellable, OrderNotFound
from keel.engine import ExecutionConfig
from tests.unit.domain.factories import request, spx_closes, spx_crash_closes

from .factories import engine_with_account, tick

D = Decimal
S = OrderStatus
BUY, SELL = OrderSide.BUY, OrderSide.SELL


def test_market_order_fills_on_the_last_quote_and_books_the_account() -> None:
    engine, account, clock = engine_with_account()
    price = spx_crash_closes()[0]
    engine.on_quote(tick(engine, clock, price))
    placed = engine.place(request(quantity=D("3")))
    assert placed.order.status is S.FILLED
    (only,) = placed.result.fills
    assert only.price == price + D("0.25")
    assert account.position("SPX").quantity == D("3")
    assert account.cash == D("100000.00") - 3 * only.price
    assert account.reservations == {}
    assert [u.event.to_status for u in placed.result.updates] == [S.ACCEPTED, S.FILLED]
    assert [e.to_status for e in placed.order.events] == [S.ACCEPTED, S.FILLED]


def test_orders_without_a_quote_to_price_them_are_rejected() -> None:
    engine, account, _ = engine_with_account()
    placed = engine.place(request(quantity=D("1")))
    assert placed.order.status is S.REJECTED
    assert placed.order.rejection_code == "no-market-data"
    limit = engine.place(request(type=OrderType.LIMIT, limit_price=D("1000")))
    assert limit.order.status is S.ACCEPTED  # a limit order is priced by its limit
    assert account.buying_power == D("99000.00")


def test_buying_power_admits_exactly_the_affordable_orders() -> None:
    price = spx_crash_closes()[10]
    engine, account, clock = engine_with_account(cash=D("10000.00"))
    engine.on_quote(tick(engine, clock, price))
    orders = [
        engine.place(request(type=OrderType.LIMIT, limit_price=price - 50)).order for _ in range(20)
    ]
    affordable = int(D("10000.00") // (price - 50))
    assert [o.status for o in orders].count(S.ACCEPTED) == affordable
    refused = [o for o in orders if o.status is S.REJECTED]
    assert {o.rejection_code for o in refused} == {"insufficient-funds"}
    refusal = refused[0].events[-1]
    assert "free to spend" in refusal.reason and "SPX (the S&P 500 index)" in refusal.reason
    assert refusal.figures["available"] < refusal.figures["needed"]
    assert account.buying_power >= 0


def test_client_order_id_makes_placement_idempotent() -> None:
    engine, account, clock = engine_with_account()
    engine.on_quote(tick(engine, clock, spx_closes()[0]))
    first = engine.place(request(client_order_id="abc", type=OrderType.LIMIT, limit_price=D("10")))
    again = engine.place(request(client_order_id="abc", type=OrderType.LIMIT, limit_price=D("10")))
    assert again.duplicate and again.order is first.order
    assert len(engine.orders()) == 1 and len(account.reservations) == 1


def test_selling_what_is_not_held_is_rejected() -> None:
    engine, _, clock = engine_with_account()
    engine.on_quote(tick(engine, clock, spx_closes()[0]))
    placed = engine.place(request(side=SELL, quantity=D("1")))
    assert placed.order.status is S.REJECTED
    assert placed.order.rejection_code == "insufficient-position"


def test_resting_orders_share_the_touch_in_time_priority() -> None:
    engine, account, clock = engine_with_account()
    engine.on_quote(tick(engine, clock, D("100")))
    first = engine.place(request(type=OrderType.LIMIT, limit_price=D("99"), quantity=D("2")))
    second = engine.place(request(type=OrderType.LIMIT, limit_price=D("99"), quantity=D("2")))
    result = engine.on_quote(tick(engine, clock, D("98.50"), size=D("3")))
    assert [(f.order_id, f.quantity) for f in result.fills] == [
        (first.order.id, D("2")),
        (second.order.id, D("1")),
    ]
    assert (first.order.status, second.order.status) == (S.FILLED, S.PARTIALLY_FILLED)
    engine.on_quote(tick(engine, clock, D("98.50"), size=D("3")))
    assert second.order.status is S.FILLED
    assert account.position("SPX").quantity == D("4")


def test_stop_loss_triggers_during_the_2008_crash() -> None:
    closes = spx_crash_closes()
    engine, account, clock = engine_with_account()
    engine.on_quote(tick(engine, clock, closes[0]))
    engine.place(request(quantity=D("5")))
    stop_level = (closes[0] * D("0.9")).quantize(D("0.01"))
    stop = engine.place(
        request(
            side=SELL,
            type=OrderType.STOP,
            stop_price=stop_level,
            quantity=D("5"),
            time_in_force=TimeInForce.GTC,
        )
    ).order
    assert account.sellable_quantity("SPX") == 0
    for close in closes[1:]:
        engine.on_quote(tick(engine, clock, close))
        if stop.status is S.FILLED:
            break
    first_below = next(c for c in closes if c - D("0.25") <= stop_level)
    assert stop.status is S.FILLED
    assert stop.average_fill_price == first_below - D("0.25")
    assert account.position("SPX").is_flat and account.invariant_violations() == []


def test_market_remainder_rests_or_is_cancelled_as_configured() -> None:
    for cancel_rest, expected in ((False, S.PARTIALLY_FILLED), (True, S.CANCELLED)):
        engine, _, clock = engine_with_account(
            config=ExecutionConfig(cancel_market_remainder=cancel_rest)
        )
        engine.on_quote(tick(engine, clock, D("100"), size=D("2")))
        order = engine.place(request(quantity=D("5"))).order
        assert order.filled_quantity == D("2")
        assert order.status is expected


def test_cancel_releases_the_reservation_and_only_once() -> None:
    engine, account, _ = engine_with_account(cash=D("1000.00"))
    order = engine.place(request(type=OrderType.LIMIT, limit_price=D("500"))).order
    assert account.buying_power == D("500.00")
    result = engine.cancel(order.id)
    assert order.status is S.CANCELLED and result.updates[0].event.reason
    assert account.buying_power == D("1000.00")
    with pytest.raises(OrderNotCancellable):
        engine.cancel(order.id)
    with pytest.raises(OrderNotFound):
        engine.cancel("nope")


def test_day_orders_expire_at_session_close_gtc_orders_rest() -> None:
    engine, account, _ = engine_with_account()
    day = engine.place(request(type=OrderType.LIMIT, limit_price=D("10"))).order
    gtc = engine.place(
        request(type=OrderType.LIMIT, limit_price=D("10"), time_in_force=TimeInForce.GTC)
    ).order
    other = engine.place(request(type=OrderType.LIMIT, limit_price=D("10"), symbol="IXIC")).order
    result = engine.close_session(["SPX"])
    assert [u.order.id for u in result.updates] == [day.id]
    assert (day.status, gtc.status, other.status) == (S.EXPIRED, S.ACCEPTED, S.ACCEPTED)
    assert set(account.reservations) == {gtc.id, other.id}
    assert day.id not in engine.book


def test_a_day_order_waiting_for_its_guardian_outlives_the_session_close() -> None:
    engine, account, clock = engine_with_account(cash=D("5000.00"), is_minor=True)
    engine.on_quote(tick(engine, clock, D("100")))
    waiting = engine.place(request(quantity=D("1")), needs_approval=True).order
    working = engine.place(request(type=OrderType.LIMIT, limit_price=D("10"))).order
    result = engine.close_session()
    assert [u.order.id for u in result.updates] == [working.id]
    assert waiting.status is S.PENDING_APPROVAL and set(account.reservations) == {waiting.id}
    engine.on_quote(tick(engine, clock, D("120"), minutes=30 * 24 * 60))
    engine.approve(waiting.id)  # its day starts now: it fills on today's quote
    assert waiting.status is S.FILLED and waiting.average_fill_price == D("120.25")


def test_guardian_approval_flow() -> None:
    engine, account, clock = engine_with_account(cash=D("5000.00"), is_minor=True)
    engine.on_quote(tick(engine, clock, D("100")))
    pending = engine.place(request(quantity=D("10")), needs_approval=True).order
    assert pending.status is S.PENDING_APPROVAL
    assert account.buying_power < D("4000")  # cash is held while the guardian decides
    result = engine.approve(pending.id)
    assert pending.status is S.FILLED and len(result.fills) == 1
    assert "approved" in pending.events[1].reason
    with pytest.raises(IllegalTransition):
        engine.approve(pending.id)
    declined = engine.place(request(quantity=D("1")), needs_approval=True).order
    engine.decline(declined.id, "not today")
    assert declined.rejection_code == "guardian-rejected"
    late = engine.place(request(quantity=D("1")), needs_approval=True).order
    engine.expire(late.id, "guardian did not answer in time")
    assert late.status is S.EXPIRED
    assert account.reservations == {} and account.invariant_violations() == []


def test_a_fill_the_account_cannot_pay_ends_the_order() -> None:
    engine, account, clock = engine_with_account(cash=D("1000.00"))
    engine.on_quote(tick(engine, clock, D("100")))
    stop = engine.place(request(type=OrderType.STOP, stop_price=D("101"), quantity=D("9"))).order
    assert stop.status is S.ACCEPTED  # reserved at the stop: 9 × 101 fits in 1,000
    engine.on_quote(tick(engine, clock, D("150")))  # gaps far through the stop
    assert stop.status is S.REJECTED and stop.rejection_code == "insufficient-funds"
    assert account.cash == D("1000.00") and account.reservations == {}


def test_fifty_market_buys_fill_exactly_the_affordable_ones() -> None:
    price = spx_crash_closes()[30]
    engine, account, clock = engine_with_account(cash=D("20000.00"))
    engine.on_quote(tick(engine, clock, price))
    orders = [engine.place(request(quantity=D("1"))).order for _ in range(50)]
    ask = price + D("0.25")
    affordable = int(D("20000.00") // ask)
    assert [o.status for o in orders] == [S.FILLED] * affordable + [S.REJECTED] * (50 - affordable)
    assert account.cash == D("20000.00") - affordable * ask
    assert account.invariant_violations() == []


def test_replaying_real_goog_closes_fills_limits_only_when_marketable() -> None:
    from keel.engine import quote_from_price
    from keel.market.datasets import load_bundled

    config = ExecutionConfig(spread_bps=D("10"))
    history = load_bundled("GOOG").loc["2008-01-01":, "Close"]  # through the 2008 crash
    closes = [D(str(round(value, 4))) for value in history.to_numpy()]
    engine, account, clock = engine_with_account(cash=D("100000.00"), config=config)
    engine.on_quote(tick(engine, clock, closes[0]))
    limits = [(closes[0] * D(f"0.{90 - 20 * k}")).quantize(D("0.01")) for k in range(4)]
    ladder = [
        engine.place(
            request(
                type=OrderType.LIMIT,
                limit_price=lim,
                quantity=D("10"),
                time_in_force=TimeInForce.GTC,
            )
        ).order
        for lim in limits
    ]
    quotes = {}
    for close in closes[1:]:
        clock.set(clock.now() + timedelta(days=1))
        quote = quote_from_price("SPX", close, clock.now(), config)
        quotes[quote.time] = quote
        engine.on_quote(quote)
    for order in ladder:
        for fill in account.fills:
            if fill.order_id == order.id:
                assert quotes[fill.time].ask <= order.limit_price  # type: ignore[operator]
                assert fill.price == quotes[fill.time].ask
    lowest = min(closes)
    expected_filled = [lim >= lowest * (1 + D("0.0005")) for lim in limits]
    assert [o.status is S.FILLED for o in ladder] == expected_filled
    assert True in expected_filled and False in expected_filled
    assert account.invariant_violations() == []


def test_adopted_orders_rest_and_reserve_again() -> None:
    engine, account, clock = engine_with_account(cash=D("1000.00"))
    stored = engine.place(request(type=OrderType.LIMIT, limit_price=D("90"), quantity=D("2"))).order
    fresh, fresh_account, fresh_clock = engine_with_account(cash=D("1000.00"))
    fresh.adopt(stored)
    assert fresh.order(stored.id) is stored and stored.id in fresh.book
    assert fresh_account.buying_power == D("820.00")
    fresh.set_quote(tick(fresh, fresh_clock, D("89")))
    assert stored.status is S.ACCEPTED  # set_quote matches nothing
    fresh.on_quote(tick(fresh, fresh_clock, D("89")))
    assert stored.status is S.FILLED and fresh_account.position("SPX").quantity == D("2")
    assert account.position("SPX").is_flat and clock.now() < fresh_clock.now()
