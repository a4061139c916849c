"""The append-only cash ledger of one paper account.

Every cash movement is an entry; nothing is ever edited or deleted. Cash is, by definition, the sum
of the entries, and the ledger refuses any entry that would take it below zero. A reset appends an
entry that brings cash to zero and starts a new *epoch*, so the old history stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from keel.domain.errors import InsufficientFunds, InvalidCashAmount
from keel.domain.money import (
    CASH_PLACES,
    MAX_CASH,
    format_money,
    format_quantity,
    has_at_most_places,
    to_money,
)


class LedgerEntryKind(StrEnum):
    """Why cash moved. The sign each kind allows is in `_SIGN`."""

    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    FILL_DEBIT = "fill_debit"
    FILL_CREDIT = "fill_credit"
    COMMISSION = "commission"
    RESET = "reset"


# +1: amount must be > 0; -1: amount must be < 0; 0: any sign (reset zeroes the balance).
_SIGN = {
    LedgerEntryKind.DEPOSIT: 1,
    LedgerEntryKind.WITHDRAWAL: -1,
    LedgerEntryKind.FILL_DEBIT: -1,
    LedgerEntryKind.FILL_CREDIT: 1,
    LedgerEntryKind.COMMISSION: -1,
    LedgerEntryKind.RESET: 0,
}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One cash movement. `amount` is signed cash in cents; `balance_after` is cash after it."""

    sequence: int
    time: datetime
    kind: LedgerEntryKind
    amount: Decimal
    balance_after: Decimal
    epoch: int
    reference: str | None = None
    memo: str = ""


class Ledger:
    """Append-only list of `LedgerEntry`; `balance` is always their sum and never negative."""

    def __init__(self, entries: Iterable[LedgerEntry] = ()) -> None:
        self._entries: list[LedgerEntry] = []
        self._balance = Decimal("0.00")
        self._epoch = 0
        self._stored_length = 0
        for entry in entries:
            self._replay(entry)

    @property
    def entries(self) -> tuple[LedgerEntry, ...]:
        return tuple(self._entries)

    @property
    def balance(self) -> Decimal:
        """Cash, in the account currency, to the cent."""
        return self._balance

    @property
    def epoch(self) -> int:
        """How many resets the account has had; entries of earlier epochs are archived history."""
        return self._epoch

    @classmethod
    def resume(cls, *, balance: Decimal, length: int, epoch: int) -> Ledger:
        """A ledger that continues a stored one from its balance, entry count and epoch.

        `entries` then holds only what is appended after resuming; `len()` counts the stored
        entries too, so sequences continue where the stored ledger ended.
        """
        ledger = cls()
        ledger._balance = to_money(balance)
        ledger._epoch = epoch
        ledger._stored_length = length
        return ledger

    def __len__(self) -> int:
        return self._stored_length + len(self._entries)

    def current_entries(self) -> tuple[LedgerEntry, ...]:
        """Entries since the last reset."""
        return tuple(entry for entry in self._entries if entry.epoch == self._epoch)

    def append(
        self,
        kind: LedgerEntryKind,
        amount: Decimal,
        *,
        time: datetime,
        reference: str | None = None,
        memo: str = "",
    ) -> LedgerEntry:
        """Append one movement; raises `InsufficientFunds` if cash would go below zero."""
        if kind is LedgerEntryKind.RESET:
            raise InvalidCashAmount("use Ledger.reset to reset an account")
        _check_amount(kind, amount)
        balance_after = self._balance + amount
        if balance_after < 0:
            raise InsufficientFunds(
                f"Not enough cash: taking out {format_money(-amount)} would leave less than 0 "
                f"(the cash is {format_money(self._balance)}).",
                figures={"needed": -amount, "available": self._balance},
            )
        return self._push(kind, amount, balance_after, time, reference, memo)

    def can_afford(self, amount: Decimal) -> bool:
        """True when a debit of `amount` (positive cash) leaves cash at zero or above."""
        return self._balance - amount >= 0

    def reset(self, *, time: datetime, memo: str = "account reset") -> LedgerEntry:
        """Bring cash to zero with one archived entry and start a new epoch."""
        entry = self._push(LedgerEntryKind.RESET, -self._balance, Decimal("0.00"), time, None, memo)
        self._epoch += 1
        return entry

    def _push(
        self,
        kind: LedgerEntryKind,
        amount: Decimal,
        balance_after: Decimal,
        time: datetime,
        reference: str | None,
        memo: str,
    ) -> LedgerEntry:
        entry = LedgerEntry(
            sequence=len(self) + 1,
            time=time,
            kind=kind,
            amount=amount,
            balance_after=balance_after,
            epoch=self._epoch,
            reference=reference,
            memo=memo,
        )
        self._entries.append(entry)
        self._balance = balance_after
        return entry

    def _replay(self, entry: LedgerEntry) -> None:
        """Rebuild from stored entries, verifying each one (sequence, sign, running balance)."""
        expected_after = self._balance + entry.amount
        if entry.sequence != len(self._entries) + 1 or entry.epoch != self._epoch:
            raise InvalidCashAmount(f"ledger entry {entry.sequence} is out of order")
        if entry.kind is not LedgerEntryKind.RESET:
            _check_amount(entry.kind, entry.amount)
        elif entry.amount != -self._balance:
            raise InvalidCashAmount(f"reset entry {entry.sequence} does not zero the balance")
        if expected_after < 0 or entry.balance_after != expected_after:
            raise InvalidCashAmount(f"ledger entry {entry.sequence} breaks the running balance")
        self._entries.append(entry)
        self._balance = expected_after
        if entry.kind is LedgerEntryKind.RESET:
            self._epoch += 1


def _check_amount(kind: LedgerEntryKind, amount: Decimal) -> None:
    what = f"A {kind.value.replace('_', ' ')}"
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise InvalidCashAmount(f"{what} must be an amount of money, like 250.00.")
    shown = format_quantity(amount)
    if not has_at_most_places(amount, CASH_PLACES):
        raise InvalidCashAmount(
            f"{what} must be in dollars and cents, at most 2 decimals (it was {shown}).",
            figures={"amount": amount},
        )
    if abs(amount) > MAX_CASH:
        raise InvalidCashAmount(
            f"{what} can be at most {format_money(MAX_CASH)} (it was {shown}).",
            figures={"amount": amount, "maximum": MAX_CASH},
        )
    sign = _SIGN[kind]
    if sign > 0 and amount <= 0:
        raise InvalidCashAmount(
            f"{what} must be more than 0 (it was {shown}).", figures={"amount": amount}
        )
    if sign < 0 and amount >= 0:
        raise InvalidCashAmount(
            f"{what} must take money out, so it must be below 0 (it was {shown}).",
            figures={"amount": amount},
        )


def ledger_sum(entries: Iterable[LedgerEntry]) -> Decimal:
    """Sum of the entries' amounts: the cash they account for."""
    return sum((entry.amount for entry in entries), Decimal("0.00"))
