"""Account aggregate: fills move cash through the ledger and positions; refusals leave it unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keel.domain.account import Account
from keel.domain.enums import OrderSide
from keel.domain.errors import InsufficientFunds, InsufficientPosition, InvalidFill
from keel.domain.ledger import LedgerEntryKind

from .factories import ACCOUNT_ID, T0, accepted_order, fill, funded_account, spx_closes

BUY, SELL = OrderSide.BUY, OrderSide.SELL


def trade(account: Account, side: OrderSide, quantity: str, price: Decimal, n: int = 1) -> None:
    order = accepted_order(f"O{n}", side=side, quantity=Decimal(quantity))
    account.apply_fill(fill(order, Decimal(quantity), price, number=n))


def test_buy_then_sell_moves_cash_and_realizes_pnl() -> None:
    buy_price, sell_price = spx_closes()[2430], spx_closes()[2440]  # Sept 2008
    account = funded_account(Decimal("10000.00"))
    order = accepted_order(quantity=Decimal("2"))
    entries = account.apply_fill(fill(order, Decimal("2"), buy_price, commission=Decimal("1.00")))
    assert [e.kind for e in entries] == [LedgerEntryKind.FILL_DEBIT, LedgerEntryKind.COMMISSION]
    assert account.cash == Decimal("10000.00") - 2 * buy_price - Decimal("1.00")
    position = account.position("SPX")
    assert (position.quantity, position.average_cost) == (Decimal("2"), buy_price)
    trade(account, SELL, "0.5", sell_price, n=2)
    assert account.position("SPX").quantity == Decimal("1.5")
    assert account.position("SPX").realized_pnl == (sell_price - buy_price) * Decimal("0.5")
    assert account.position("SPX").unrealized_pnl(sell_price) == (sell_price - buy_price) * Decimal(
        "1.5"
    )
    assert account.invariant_violations() == []


def test_cash_is_rounded_against_the_trader() -> None:
    account = funded_account(Decimal("10.00"))
    trade(account, BUY, "0.000001", Decimal("1.0001"))
    assert account.cash == Decimal("9.99")  # a millionth of a unit still costs a cent
    trade(account, SELL, "0.000001", Decimal("1.0001"), n=2)
    assert account.cash == Decimal("9.99")  # and sells for nothing: rounding never makes money


def test_fill_that_would_overdraw_is_refused_without_side_effects() -> None:
    price = spx_closes()[-1]
    account = funded_account(Decimal("1000.00"))
    order = accepted_order(quantity=Decimal("1"))
    with pytest.raises(InsufficientFunds):
        account.apply_fill(fill(order, Decimal("1"), price))
    assert account.cash == Decimal("1000.00")
    assert account.fills == () and account.position("SPX").is_flat


def test_commission_larger_than_the_proceeds_cannot_overdraw() -> None:
    account = funded_account(Decimal("1.00"))
    trade(account, BUY, "0.001", Decimal("900"))
    sell = accepted_order("O9", side=SELL, quantity=Decimal("0.001"))
    with pytest.raises(InsufficientFunds):
        account.apply_fill(fill(sell, Decimal("0.001"), Decimal("100"), commission=Decimal("5.00")))
    assert account.invariant_violations() == []


def test_short_selling_is_off_by_default_and_never_for_minors() -> None:
    account = funded_account()
    trade(account, BUY, "1", Decimal("100"))
    with pytest.raises(InsufficientPosition):
        trade(account, SELL, "1.5", Decimal("100"), n=2)
    minor = funded_account(shorting_allowed=True, is_minor=True)
    assert not minor.shorting_allowed
    adult = funded_account(shorting_allowed=True)
    trade(adult, SELL, "2", Decimal("100"))
    assert adult.position("SPX").quantity == Decimal("-2")
    trade(adult, BUY, "3", Decimal("90"), n=2)
    position = adult.position("SPX")
    assert position.realized_pnl == Decimal("20")  # covered 2 at 90 after shorting at 100
    assert (position.quantity, position.average_cost) == (Decimal("1"), Decimal("90"))


def test_reservations_limit_buying_power_and_sellable_quantity() -> None:
    account = funded_account(Decimal("1000.00"))
    account.reserve("O1", "SPX", BUY, cash=Decimal("600"))
    assert account.buying_power == Decimal("400.00")
    with pytest.raises(InsufficientFunds):
        account.reserve("O2", "SPX", BUY, cash=Decimal("400.01"))
    account.release("O1")
    assert account.buying_power == Decimal("1000.00")
    trade(account, BUY, "2", Decimal("100"))
    account.reserve("S1", "SPX", SELL, quantity=Decimal("1.5"))
    assert account.sellable_quantity("SPX") == Decimal("0.5")
    with pytest.raises(InsufficientPosition):
        account.reserve("S2", "SPX", SELL, quantity=Decimal("1"))


def test_fills_shrink_the_reservation_of_their_order() -> None:
    account = funded_account(Decimal("1000.00"))
    order = accepted_order("O1", quantity=Decimal("2"))
    account.reserve("O1", "SPX", BUY, cash=Decimal("250"))
    account.apply_fill(fill(order, Decimal("1"), Decimal("100")))
    assert account.reservations["O1"].cash == Decimal("150.00")


def test_fill_of_another_account_is_refused() -> None:
    other = Account.open("someone-else", Decimal("100.00"), time=T0)
    order = accepted_order(quantity=Decimal("1"))
    assert order.account_id == ACCOUNT_ID
    with pytest.raises(InvalidFill):
        other.apply_fill(fill(order, Decimal("1"), Decimal("1")))


def test_reset_archives_history_and_restore_rebuilds_it() -> None:
    account = funded_account(Decimal("5000.00"))
    trade(account, BUY, "1", spx_closes()[100])
    account.reset(Decimal("2000.00"), time=T0)
    assert account.cash == Decimal("2000.00")
    assert account.positions == {} and len(account.archived_fills) == 1
    assert [e.kind for e in account.ledger.entries][-2:] == [
        LedgerEntryKind.RESET,
        LedgerEntryKind.DEPOSIT,
    ]
    trade(account, BUY, "1.5", spx_closes()[200], n=2)
    restored = Account.restore(account.id, account.ledger.entries, account.fills)
    assert restored.cash == account.cash
    assert restored.position("SPX").quantity == Decimal("1.5")
    assert restored.invariant_violations() == []


def test_invariant_check_notices_a_position_that_disagrees_with_fills() -> None:
    account = funded_account()
    trade(account, BUY, "1", Decimal("100"))
    account.positions["SPX"].quantity += 1  # simulate corruption
    assert any("sum of fills" in problem for problem in account.invariant_violations())


def test_equity_values_open_positions() -> None:
    account = funded_account(Decimal("1000.00"))
    trade(account, BUY, "2", Decimal("100"))
    assert account.equity({"SPX": Decimal("110")}) == Decimal("800.00") + Decimal("220")
