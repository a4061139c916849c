"""The cash ledger: append-only, signed by kind, never below zero, resets archive."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from keel.domain.errors import InsufficientFunds, InvalidCashAmount
from keel.domain.ledger import Ledger, LedgerEntryKind, ledger_sum

from .factories import T0

K = LedgerEntryKind


@pytest.mark.parametrize(
    ("kind", "amount", "error"),
    [
        (K.DEPOSIT, Decimal("-5.00"), InvalidCashAmount),
        (K.DEPOSIT, Decimal("0.00"), InvalidCashAmount),
        (K.DEPOSIT, Decimal("1.001"), InvalidCashAmount),
        (K.DEPOSIT, Decimal("NaN"), InvalidCashAmount),
        (K.DEPOSIT, Decimal("2000000000.00"), InvalidCashAmount),
        (K.FILL_DEBIT, Decimal("5.00"), InvalidCashAmount),
        (K.FILL_CREDIT, Decimal("-5.00"), InvalidCashAmount),
        (K.COMMISSION, Decimal("1.00"), InvalidCashAmount),
        (K.FILL_DEBIT, Decimal("-100.01"), InsufficientFunds),
        (K.RESET, Decimal("-100.00"), InvalidCashAmount),
    ],
)
def test_bad_entries_are_refused_and_leave_cash_alone(
    kind: LedgerEntryKind, amount: Decimal, error: type[Exception]
) -> None:
    ledger = Ledger()
    ledger.append(K.DEPOSIT, Decimal("100.00"), time=T0)
    with pytest.raises(error):
        ledger.append(kind, amount, time=T0)
    assert ledger.balance == Decimal("100.00")
    assert len(ledger) == 1


def test_balance_is_the_running_sum_and_can_reach_exactly_zero() -> None:
    ledger = Ledger()
    ledger.append(K.DEPOSIT, Decimal("100.00"), time=T0)
    ledger.append(K.FILL_DEBIT, Decimal("-99.00"), time=T0, reference="F1")
    ledger.append(K.COMMISSION, Decimal("-1.00"), time=T0, reference="F1")
    assert ledger.balance == Decimal("0.00") == ledger_sum(ledger.entries)
    assert [entry.balance_after for entry in ledger.entries] == [
        Decimal("100.00"),
        Decimal("1.00"),
        Decimal("0.00"),
    ]
    assert not ledger.can_afford(Decimal("0.01"))


def test_reset_archives_and_starts_a_new_epoch() -> None:
    ledger = Ledger()
    ledger.append(K.DEPOSIT, Decimal("100.00"), time=T0)
    ledger.append(K.FILL_CREDIT, Decimal("20.50"), time=T0)
    archived = ledger.reset(time=T0)
    assert archived.amount == Decimal("-120.50")
    assert ledger.balance == 0 and ledger.epoch == 1
    ledger.append(K.DEPOSIT, Decimal("50.00"), time=T0)
    assert len(ledger.entries) == 4
    assert [entry.kind for entry in ledger.current_entries()] == [K.DEPOSIT]
    assert ledger_sum(ledger.entries) == ledger.balance == Decimal("50.00")


def test_replay_rebuilds_the_same_ledger_and_refuses_tampering() -> None:
    ledger = Ledger()
    ledger.append(K.DEPOSIT, Decimal("100.00"), time=T0)
    ledger.append(K.FILL_DEBIT, Decimal("-30.00"), time=T0)
    ledger.reset(time=T0)
    ledger.append(K.DEPOSIT, Decimal("10.00"), time=T0)
    rebuilt = Ledger(ledger.entries)
    assert rebuilt.balance == ledger.balance and rebuilt.epoch == ledger.epoch
    tampered = list(ledger.entries)
    tampered[1] = replace(tampered[1], amount=Decimal("-20.00"))
    with pytest.raises(InvalidCashAmount):
        Ledger(tampered)
    with pytest.raises(InvalidCashAmount):
        Ledger(ledger.entries[1:])
