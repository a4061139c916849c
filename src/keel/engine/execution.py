"""`ExecutionEngine`: the façade the live server and the backtester both drive.

It holds the accounts it trades for, every order it has seen, the resting-order book and the last
quote per symbol. Calls return an `ExecutionResult` (fills and order events, in the order they
happened) so the caller can persist and publish them. Time comes from the `Clock` it is given; fills
carry the time of the quote they traded on.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.clock import Clock
from keel.domain.enums import OrderStatus, OrderType, TimeInForce
from keel.domain.errors import (
    NO_FIGURES,
    AccountNotFound,
    Figures,
    IllegalTransition,
    InsufficientFunds,
    InsufficientPosition,
    NoMarketData,
    OrderNotFound,
)
from keel.domain.fills import Fill
from keel.domain.gate import AllowAllGate, GateContext, GateStage, OrderGate
from keel.domain.instruments import instrument_label
from keel.domain.money import QUANTITY_PLACES, format_quantity
from keel.domain.order_requests import OrderRequest
from keel.domain.orders import Order, OrderEvent
from keel.domain.quotes import Quote
from keel.engine.book import OrderBook
from keel.engine.config import ExecutionConfig
from keel.engine.fill_model import STOP_TYPES
from keel.engine.results import ExecutionResult, Placement
from keel.engine.sizing import amend_to_decision, estimate, gate_context, reserve_for

GUARDIAN_REJECTED = "guardian-rejected"


def nothing_left(cut: str) -> str:
    """The refusal of an order a cut left nothing of (`cut`: the cut in plain words)."""
    return f"No part of the order could be accepted. {cut}"


def _sequential_ids() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"O{next(counter)}"


class ExecutionEngine:
    """Accepts orders, matches them on quotes, applies fills to accounts and expires day orders."""

    def __init__(
        self,
        clock: Clock,
        config: ExecutionConfig | None = None,
        *,
        gate: OrderGate | None = None,
        order_ids: Callable[[], str] | None = None,
    ) -> None:
        self.clock = clock
        self.config = config or ExecutionConfig()
        self.gate: OrderGate = gate or AllowAllGate()
        self._next_order_id = order_ids or _sequential_ids()
        self.book = OrderBook()
        self._accounts: dict[str, Account] = {}
        self._orders: dict[str, Order] = {}
        self._client_ids: dict[tuple[str, str], str] = {}
        self._quotes: dict[str, Quote] = {}

    # ----- registry ----------------------------------------------------------------------------

    def add_account(self, account: Account) -> None:
        """Let the engine trade for `account` (its fills are applied to it)."""
        self._accounts[account.id] = account

    def account(self, account_id: str) -> Account:
        try:
            return self._accounts[account_id]
        except KeyError:
            raise AccountNotFound(f"There is no practice account {account_id}.") from None

    def order(self, order_id: str) -> Order:
        try:
            return self._orders[order_id]
        except KeyError:
            raise OrderNotFound(f"There is no order {order_id}.") from None

    def orders(self, account_id: str | None = None, *, open_only: bool = False) -> list[Order]:
        """Orders in placement order, optionally of one account and/or still open."""
        return [
            order
            for order in self._orders.values()
            if (account_id is None or order.account_id == account_id)
            and (not open_only or order.is_open)
        ]

    def adopt(self, order: Order) -> None:
        """Take back an order loaded from storage: register it, reserve for it if it is open, and
        rest it in the book if it is working.

        Prices may have moved since placement: a reservation that no longer fits buying power is
        skipped (the fill itself is still checked against cash when it happens).
        """
        self._orders[order.id] = order
        if order.client_order_id is not None:
            self._client_ids[(order.account_id, order.client_order_id)] = order.id
        account = self._accounts.get(order.account_id)
        if account is not None and order.is_open:
            try:
                self._reserve(order, account)
            except (InsufficientFunds, InsufficientPosition, NoMarketData):
                account.release(order.id)
        if order.is_working and order.id not in self.book:
            self.book.add(order)

    def set_quote(self, quote: Quote) -> None:
        """Know `quote` as the latest for its symbol without matching anything against it."""
        self._quotes[quote.symbol] = quote

    def last_quote(self, symbol: str) -> Quote | None:
        """The latest quote seen for `symbol`, with the size earlier fills took off the touch."""
        return self._quotes.get(symbol)

    # ----- placement and approval --------------------------------------------------------------

    def place(self, request: OrderRequest, *, needs_approval: bool = False) -> Placement:
        """Place an order: gate, reservation, then either wait for approval, rest or fill now.

        A repeated `client_order_id` for the same account returns the original order untouched.
        Refusals (gate, buying power, no position to sell) give a `rejected` order whose last
        event carries the reason and error code; unknown accounts raise `AccountNotFound`.
        """
        if request.client_order_id is not None:
            known = self._client_ids.get((request.account_id, request.client_order_id))
            if known is not None:
                return Placement(self._orders[known], ExecutionResult(), duplicate=True)
        account = self.account(request.account_id)
        now = self.clock.now()
        order = Order.draft(request, order_id=self._next_order_id(), time=now)
        self._orders[order.id] = order
        if request.client_order_id is not None:
            self._client_ids[(request.account_id, request.client_order_id)] = order.id
        result = ExecutionResult()
        note = self._admit(order, account, GateStage.PLACEMENT, result)
        if note is None:
            return Placement(order, result)
        result.record(order, order.place(time=now, needs_approval=needs_approval, reason=note))
        if not needs_approval:
            self._start_working(order, result)
        return Placement(order, result)

    def approve(self, order_id: str) -> ExecutionResult:
        """A guardian approved a pending order: it passes the gate and buying power again."""
        order = self.order(order_id)
        account = self.account(order.account_id)
        result = ExecutionResult()
        if order.status is not OrderStatus.PENDING_APPROVAL:
            raise IllegalTransition(
                f"This order is {order.status.value.replace('_', ' ')}, not waiting for approval."
            )
        note = self._admit(order, account, GateStage.APPROVAL, result)
        if note is None:
            return result
        reason = "approved by guardian" + (f"; {note}" if note != "accepted" else "")
        event = order.transition(OrderStatus.ACCEPTED, time=self.clock.now(), reason=reason)
        result.record(order, event)
        self._start_working(order, result)
        return result

    def decline(self, order_id: str, reason: str) -> ExecutionResult:
        """A guardian rejected a pending order, with `reason` in plain words."""
        order = self.order(order_id)
        result = ExecutionResult()
        now = self.clock.now()
        result.record(order, order.reject(time=now, reason=reason, code=GUARDIAN_REJECTED))
        self._close(order)
        return result

    def cancel(self, order_id: str, reason: str = "cancelled by the user") -> ExecutionResult:
        """Cancel an open order; raises `OrderNotCancellable` when it is already terminal."""
        order = self.order(order_id)
        result = ExecutionResult()
        result.record(order, order.cancel(time=self.clock.now(), reason=reason))
        self._close(order)
        return result

    def expire(self, order_id: str, reason: str) -> ExecutionResult:
        """Expire one open order (e.g. a guardian approval that timed out)."""
        order = self.order(order_id)
        result = ExecutionResult()
        result.record(order, order.expire(time=self.clock.now(), reason=reason))
        self._close(order)
        return result

    def close_session(self, symbols: Iterable[str] | None = None) -> ExecutionResult:
        """The trading session ended (for `symbols`, or all): every working day order expires.

        An order still waiting for its guardian is not working yet: its time in force starts on
        the day it is approved, so it keeps waiting (its approval deadline is the caller's)."""
        wanted = None if symbols is None else set(symbols)
        result = ExecutionResult()
        now = self.clock.now()
        for order in self.orders(open_only=True):
            if (
                order.time_in_force is not TimeInForce.DAY
                or order.status is OrderStatus.PENDING_APPROVAL
                or (wanted and order.symbol not in wanted)
            ):
                continue
            reason = "The trading day ended, and a day order only lasts until the end of its day."
            result.record(order, order.expire(time=now, reason=reason))
            self._close(order)
        return result

    # ----- market data -------------------------------------------------------------------------

    def on_quote(self, quote: Quote) -> ExecutionResult:
        """Match resting orders of `quote.symbol` against `quote`, oldest first."""
        self._quotes[quote.symbol] = quote
        return self._run_book(quote, only=None)

    # ----- internals ---------------------------------------------------------------------------

    def _admit(
        self, order: Order, account: Account, stage: GateStage, result: ExecutionResult
    ) -> str | None:
        """Gate + reservation for a placement or approval; `None` when the order was rejected."""
        now = self.clock.now()
        decision = self.gate.check(order, self._context(order, account, stage))
        if not decision.allowed:
            self._reject(order, decision.reason, decision.code, result, decision.figures)
            return None
        note = (
            "accepted" if not decision.reason or decision.reason == "allowed" else decision.reason
        )
        reference = self._reference_price(order)
        if reference is not None:
            amended = amend_to_decision(order, decision, reference, time=now)
            if amended is not None:
                note = amended  # the cut in plain words; the gate's own words are in `order.cut`
                if order.quantity_wanted_at(reference) <= 0:
                    self._reject(order, nothing_left(amended), decision.code, result)
                    return None
        try:
            self._reserve(order, account)
        except (InsufficientFunds, InsufficientPosition, NoMarketData) as error:
            self._reject(order, error.message, error.code, result, error.figures)
            return None
        return note

    def _reject(
        self,
        order: Order,
        reason: str,
        code: str,
        result: ExecutionResult,
        figures: Figures = NO_FIGURES,
    ) -> None:
        event = order.reject(time=self.clock.now(), reason=reason, code=code, figures=figures)
        result.record(order, event)
        self._close(order)

    def _close(self, order: Order) -> None:
        self.book.remove(order.id)
        account = self._accounts.get(order.account_id)
        if account is not None:
            account.release(order.id)

    def _reference_price(self, order: Order) -> Decimal | None:
        return estimate(order, self._quotes.get(order.symbol), self.config).price

    def _reserve(self, order: Order, account: Account) -> None:
        reserve_for(order, account, self._quotes.get(order.symbol), self.config)

    def _context(self, order: Order, account: Account, stage: GateStage) -> GateContext:
        quote = self._quotes.get(order.symbol)
        return gate_context(order, account, stage, quote, self.config, time=self.clock.now())

    def _start_working(self, order: Order, result: ExecutionResult) -> None:
        self.book.add(order)
        quote = self._quotes.get(order.symbol)
        if quote is not None:
            result.extend(self._run_book(quote, only=order))

    def _run_book(self, quote: Quote, *, only: Order | None) -> ExecutionResult:
        result = ExecutionResult()
        gate_checked = only is not None  # a fresh placement has just passed the gate

        def before_fill(order: Order, current: Quote) -> bool:
            return self._may_fill(order, current, result, skip_gate=gate_checked)

        def on_fill(order: Order, fill: Fill) -> bool:
            return self._book_fill(order, fill, result)

        book_pass = self.book.match_quote(
            quote, self.config, before_fill=before_fill, on_fill=on_fill, only=only
        )
        self._quotes[quote.symbol] = book_pass.quote
        for order, event in book_pass.events:
            result.record(order, event)
            if not order.is_open:
                self._close(order)
        result.fills.extend(book_pass.fills)
        if self.config.cancel_market_remainder:
            self._cancel_remainders(book_pass.events, result)
        return result

    def _may_fill(
        self, order: Order, quote: Quote, result: ExecutionResult, *, skip_gate: bool
    ) -> bool:
        """Gate a resting order just before it fills; refuse notional orders too small to trade."""
        if order.quantity_wanted_at(quote.touch(order.side)) <= 0:
            self._end(
                order,
                "The money left in this order is too little to buy even the smallest amount "
                f"({format_quantity(QUANTITY_PLACES)}) of {instrument_label(order.symbol)}.",
                "invalid-order",
                result,
            )
            return False
        if skip_gate:
            return True
        account = self.account(order.account_id)
        decision = self.gate.check(order, self._context(order, account, GateStage.TRIGGER))
        if decision.allowed:
            amended = amend_to_decision(order, decision, quote.touch(order.side), time=quote.time)
            if amended is not None and order.quantity_wanted_at(quote.touch(order.side)) <= 0:
                self._end(order, nothing_left(amended), decision.code, result)
                return False
            return True
        # A breaker's refusal is a pause, not a verdict: the order keeps resting and is judged
        # again on the next quote (a halt never cancels resting orders). Other refusals end it.
        if decision.breaker is None and decision.reopen_at is None:
            self._end(order, decision.reason, decision.code, result, decision.figures)
        return False

    def _book_fill(self, order: Order, fill: Fill, result: ExecutionResult) -> bool:
        """Apply a fill to the account; a fill the account refuses ends the order."""
        try:
            self.account(order.account_id).apply_fill(fill)
        except (InsufficientFunds, InsufficientPosition) as error:
            self._end(order, error.message, error.code, result, error.figures)
            return False
        return True

    def _end(
        self,
        order: Order,
        reason: str,
        code: str,
        result: ExecutionResult,
        figures: Figures = NO_FIGURES,
    ) -> None:
        """Stop an order that cannot go on: rejected if it never filled, else the rest cancelled."""
        now = self.clock.now()
        if order.status is OrderStatus.ACCEPTED:
            result.record(order, order.reject(time=now, reason=reason, code=code, figures=figures))
        else:
            result.record(
                order,
                order.cancel(time=now, reason=f"The rest of the order was cancelled. {reason}"),
            )
        self._close(order)

    def _cancel_remainders(
        self, events: list[tuple[Order, OrderEvent]], result: ExecutionResult
    ) -> None:
        seen: set[str] = set()
        for order, _event in events:
            market_like = order.type is OrderType.MARKET or order.type in STOP_TYPES
            if order.id in seen or not order.is_working or not market_like:
                continue
            if order.type is OrderType.STOP_LIMIT:
                continue
            seen.add(order.id)
            reason = (
                "Part of the order was filled; the rest was cancelled because nobody was trading "
                "more at this price right now (a market order does not wait for more)."
            )
            result.record(order, order.cancel(time=self.clock.now(), reason=reason))
            self._close(order)
