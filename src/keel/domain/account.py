"""The paper `Account` aggregate: cash ledger, positions, fills and open-order reservations.

Rules it enforces on every fill, whatever the caller:
- cash never goes below zero (the ledger refuses);
- no short position unless shorting is on (never for a minor's account);
- cash equals the sum of the ledger and each position equals the sum of its fills
  (`Account.invariant_violations` checks both, for `keel check` and the property tests).

Buying power is cash minus what open buy orders reserve; open sell orders reserve quantity, so two
sells cannot promise the same shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from keel.domain.enums import OrderSide
from keel.domain.errors import InsufficientFunds, InsufficientPosition, InvalidFill
from keel.domain.fills import Fill
from keel.domain.guardians import GuardianLimits
from keel.domain.instruments import instrument_label
from keel.domain.ledger import Ledger, LedgerEntry, LedgerEntryKind, ledger_sum
from keel.domain.money import format_money, format_quantity, to_money
from keel.domain.portfolio import Position, positions_from_fills
from keel.domain.unlocks import Feature, LessonLock

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Reservation:
    """What one open order holds back: `cash` for a buy, `quantity` (units) for a sell."""

    order_id: str
    symbol: str
    side: OrderSide
    cash: Decimal = ZERO
    quantity: Decimal = ZERO


class Account:
    """One paper account. Build it with `Account.open` (new) or `Account.restore` (from storage)."""

    def __init__(
        self,
        account_id: str,
        *,
        ledger: Ledger | None = None,
        fills: Iterable[Fill] = (),
        shorting_allowed: bool = False,
        is_minor: bool = False,
        positions: Mapping[str, Position] | None = None,
        guardian_limits: GuardianLimits | None = None,
        lesson_locks: Mapping[Feature, LessonLock] | None = None,
        position_limit: Decimal | None = None,
    ) -> None:
        """`positions`, when given, must be what replaying `fills` gives (a cache of it: copied, so
        the caller's objects never change); otherwise the fills are replayed. `guardian_limits`:
        for a minor's account, what its linked guardians allow (`None`: no guardian linked).
        `lesson_locks`: features the account may not use until a lesson is mastered.
        `position_limit`: the most one position may be worth, in cash (a class's rule)."""
        self.id = account_id
        self.position_limit = position_limit
        self.is_minor = is_minor
        self.guardian_limits = guardian_limits
        self.lesson_locks: Mapping[Feature, LessonLock] = dict(lesson_locks or {})
        self.shorting_allowed = shorting_allowed and not is_minor
        self.ledger = ledger if ledger is not None else Ledger()
        self._fills: list[Fill] = list(fills)
        self._archived_fills: list[Fill] = []
        self._positions = (
            positions_from_fills(self._fills)
            if positions is None
            else {symbol: replace(position) for symbol, position in positions.items()}
        )
        self._reservations: dict[str, Reservation] = {}

    @classmethod
    def open(
        cls,
        account_id: str,
        starting_cash: Decimal,
        *,
        time: datetime,
        shorting_allowed: bool = False,
        is_minor: bool = False,
        guardian_limits: GuardianLimits | None = None,
    ) -> Account:
        """A new account funded with `starting_cash` (cash, whole cents) by one deposit entry."""
        account = cls(
            account_id,
            shorting_allowed=shorting_allowed,
            is_minor=is_minor,
            guardian_limits=guardian_limits,
        )
        account.deposit(starting_cash, time=time, memo="starting cash")
        return account

    @classmethod
    def restore(
        cls,
        account_id: str,
        entries: Iterable[LedgerEntry],
        fills: Iterable[Fill],
        *,
        shorting_allowed: bool = False,
        is_minor: bool = False,
    ) -> Account:
        """Rebuild from stored ledger entries (all epochs) and the fills since the last reset."""
        return cls(
            account_id,
            ledger=Ledger(entries),
            fills=fills,
            shorting_allowed=shorting_allowed,
            is_minor=is_minor,
        )

    # ----- reading -----------------------------------------------------------------------------

    @property
    def cash(self) -> Decimal:
        """Cash balance, to the cent."""
        return self.ledger.balance

    @property
    def fills(self) -> tuple[Fill, ...]:
        """Fills since the last reset, in the order applied."""
        return tuple(self._fills)

    @property
    def archived_fills(self) -> tuple[Fill, ...]:
        return tuple(self._archived_fills)

    @property
    def positions(self) -> Mapping[str, Position]:
        """Positions per symbol, including flat ones that carry realized P&L."""
        return self._positions

    def position(self, symbol: str) -> Position:
        """The position in `symbol` (a flat one if the account never traded it)."""
        return self._positions.get(symbol) or Position(symbol)

    @property
    def reservations(self) -> Mapping[str, Reservation]:
        return dict(self._reservations)

    @property
    def reserved_cash(self) -> Decimal:
        return sum((r.cash for r in self._reservations.values()), ZERO)

    @property
    def buying_power(self) -> Decimal:
        """Cash minus what open buy orders reserve."""
        return self.cash - self.reserved_cash

    def sellable_quantity(self, symbol: str) -> Decimal:
        """Long units in `symbol` not already promised to open sell orders."""
        promised = sum(
            (r.quantity for r in self._reservations.values() if r.symbol == symbol), ZERO
        )
        return max(self.position(symbol).quantity, ZERO) - promised

    def equity(self, prices: Mapping[str, Decimal]) -> Decimal:
        """Cash plus the market value of open positions at `prices` (currency per unit)."""
        value = self.cash
        for symbol, position in self._positions.items():
            if not position.is_flat:
                value += position.market_value(prices[symbol])
        return value

    # ----- cash and reservations ---------------------------------------------------------------

    def deposit(self, amount: Decimal, *, time: datetime, memo: str = "deposit") -> LedgerEntry:
        """Add virtual cash (whole cents, positive)."""
        return self.ledger.append(LedgerEntryKind.DEPOSIT, amount, time=time, memo=memo)

    def reserve(
        self,
        order_id: str,
        symbol: str,
        side: OrderSide,
        *,
        cash: Decimal = ZERO,
        quantity: Decimal = ZERO,
    ) -> Reservation:
        """Hold back `cash` for a buy or `quantity` for a sell; refuses what the account lacks.

        Raises `InsufficientFunds` when `cash` exceeds buying power, `InsufficientPosition` when a
        sell would go short on an account that may not.
        """
        if order_id in self._reservations:
            self.release(order_id)
        cash = to_money(cash) if cash else ZERO
        if side is OrderSide.BUY and cash > self.buying_power:
            raise InsufficientFunds(
                f"Not enough money: buying {instrument_label(symbol)} needs about "
                f"{format_money(cash)} (with the fee), but you have "
                f"{format_money(self.buying_power)} free to spend (cash set aside for your other "
                "open orders is not free). Buy less, or cancel an open order first.",
                figures={"symbol": symbol, "needed": cash, "available": self.buying_power},
            )
        if side is OrderSide.SELL and not self.shorting_allowed:
            sellable = self.sellable_quantity(symbol)
            if quantity > sellable:
                raise InsufficientPosition(
                    f"You can only sell what you own: you asked to sell "
                    f"{format_quantity(quantity)} {instrument_label(symbol)}, and "
                    f"{format_quantity(sellable)} are free to sell (some may be set aside for "
                    "another open sell order).",
                    figures={
                        "symbol": symbol,
                        "requested_quantity": quantity,
                        "sellable_quantity": sellable,
                    },
                )
        reservation = Reservation(order_id, symbol, side, cash, quantity)
        self._reservations[order_id] = reservation
        return reservation

    def release(self, order_id: str) -> Reservation | None:
        """Drop what an order reserved (it filled, was cancelled, rejected or expired)."""
        return self._reservations.pop(order_id, None)

    # ----- fills -------------------------------------------------------------------------------

    def check_fill(self, fill: Fill) -> None:
        """Raise the domain error `apply_fill` would raise, without changing anything."""
        if fill.account_id != self.id:
            raise InvalidFill(f"fill {fill.id} belongs to account {fill.account_id}, not {self.id}")
        if self.cash + fill.net_cash < 0:
            raise InsufficientFunds(
                f"Not enough cash for this trade in {instrument_label(fill.symbol)}: it costs "
                f"{format_money(-fill.net_cash)} with the fee, and the account has "
                f"{format_money(self.cash)}.",
                figures={"symbol": fill.symbol, "needed": -fill.net_cash, "available": self.cash},
            )
        if fill.side is OrderSide.SELL and not self.shorting_allowed:
            held = self.position(fill.symbol).quantity
            if fill.quantity > held:
                raise InsufficientPosition(
                    f"You can only sell what you own: this trade sells "
                    f"{format_quantity(fill.quantity)} {instrument_label(fill.symbol)}, and the "
                    f"account holds {format_quantity(held)}.",
                    figures={
                        "symbol": fill.symbol,
                        "requested_quantity": fill.quantity,
                        "held_quantity": held,
                    },
                )

    def apply_fill(self, fill: Fill) -> list[LedgerEntry]:
        """Book a fill: ledger entries for the trade and its commission, then the position."""
        self.check_fill(fill)
        entries: list[LedgerEntry] = []
        gross = fill.gross_cash
        if gross != 0:
            kind = LedgerEntryKind.FILL_DEBIT if gross < 0 else LedgerEntryKind.FILL_CREDIT
            memo = f"{fill.side.value} {fill.quantity} {fill.symbol} @ {fill.price}"
            entries.append(self._book(kind, gross, fill, memo))
        if fill.commission > 0:
            entries.append(
                self._book(LedgerEntryKind.COMMISSION, -fill.commission, fill, "commission")
            )
        self._fills.append(fill)
        self._positions.setdefault(fill.symbol, Position(fill.symbol)).apply(fill)
        self._shrink_reservation(fill)
        return entries

    def _book(self, kind: LedgerEntryKind, amount: Decimal, fill: Fill, memo: str) -> LedgerEntry:
        return self.ledger.append(kind, amount, time=fill.time, reference=fill.id, memo=memo)

    def _shrink_reservation(self, fill: Fill) -> None:
        held = self._reservations.get(fill.order_id)
        if held is None:
            return
        self._reservations[fill.order_id] = replace(
            held,
            cash=max(held.cash + fill.net_cash, ZERO) if held.side is OrderSide.BUY else held.cash,
            quantity=max(held.quantity - fill.quantity, ZERO),
        )

    # ----- reset and invariants ----------------------------------------------------------------

    def reset(self, starting_cash: Decimal, *, time: datetime) -> list[LedgerEntry]:
        """Archive cash, positions and fills, then fund the account afresh. Nothing is deleted.

        The caller cancels the account's open orders first; their reservations are dropped here.
        """
        self._reservations.clear()
        self._archived_fills.extend(self._fills)
        self._fills.clear()
        self._positions.clear()
        archived = self.ledger.reset(time=time)
        return [archived, self.deposit(starting_cash, time=time, memo="starting cash")]

    def invariant_violations(self) -> list[str]:
        """Broken invariants in plain words; empty when cash and positions are consistent."""
        problems: list[str] = []
        total = ledger_sum(self.ledger.entries)
        if total != self.cash:
            problems.append(f"cash {self.cash} differs from the ledger sum {total}")
        if self.cash < 0:
            problems.append(f"cash is negative: {self.cash}")
        replayed = positions_from_fills(self._fills)
        for symbol in set(replayed) | set(self._positions):
            held = self.position(symbol)
            expected = replayed.get(symbol) or Position(symbol)
            if held.quantity != expected.quantity:
                problems.append(
                    f"{symbol} position {held.quantity} differs from the sum of fills "
                    f"{expected.quantity}"
                )
            if not self.shorting_allowed and held.quantity < 0:
                problems.append(f"{symbol} is short {held.quantity} with shorting off")
        return problems
