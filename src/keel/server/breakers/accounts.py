"""Feeding the per-account breakers: equity now, at the session's start and at its peak.

The figures come from the domain `Account` the order gate is handed (cash, fills, positions) and
the feed's prices, never from a query in the gate:

- equity now: cash plus positions at the latest traded prices (average cost when never quoted);
- equity at the session's start: today's fills (time at or after the session's open) undone from
  cash and positions, positions valued at the prior session's closes;
- peak: the highest of those seen for the account in its current epoch, by this process or, via
  the account row (`note_peak`, written back by the orders side), by any other (an account reset
  starts afresh).

Closed trades for the loss-streak rule and the stop-loss guard come from the epoch's fills
(`closed_trades_from_fills`, replayed incrementally: within an epoch fills only ever append, so
each judgement replays just the fills it has not seen); which of them were stop exits comes from the stop order ids the
orders side notes (`note_stop_orders`: the epoch's filled stop and stop-limit orders, read with the
fills) and the stop orders the gate itself sees at placement and trigger (`note_stop_order`).

A minor's other accounts (`OtherAccount`, read as committed when the workspace opens) are judged
together with the account when the guardian's limits bind them all (`AccountRiskConfig.together`):
`activity_of` gives each one's figures and closed trades in its own market's time and day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.fills import Fill
from keel.domain.portfolio import Position
from keel.risk import (
    AccountActivity,
    AccountFigures,
    BreakerBoard,
    BreakerTransition,
    ClosedTrade,
    ClosedTradeReplay,
    closed_trades_from_fills,
)

PriceOf = Callable[[str], Decimal | None]


@dataclass
class _Track:
    epoch: int
    peak: Decimal


class _Replay:
    """Fills of an account's epoch replayed so far: the first `count`, the last `last_fill_id`.
    Within an epoch fills only ever append, so a replay extends with the fills it has not seen."""

    def __init__(self) -> None:
        self.count = 0
        self.last_fill_id: str | None = None

    def continues(self, fills: tuple[Fill, ...]) -> bool:
        """Whether `fills` start with the fills replayed so far."""
        if len(fills) < self.count:
            return False
        return self.count == 0 or fills[self.count - 1].id == self.last_fill_id

    def extend(self, fills: tuple[Fill, ...]) -> None:
        for fill in fills[self.count :]:
            self.apply(fill)
        self.count = len(fills)
        self.last_fill_id = fills[-1].id if fills else None

    def apply(self, fill: Fill) -> None:
        raise NotImplementedError


class _Trades(_Replay):
    """The trades that realized P&L, stop exits flagged by order id."""

    def __init__(self, stop_order_ids: set[str]) -> None:
        super().__init__()
        self.closed = ClosedTradeReplay(stop_order_ids)

    def apply(self, fill: Fill) -> None:
        self.closed.add(fill)


class _DayStart(_Replay):
    """Positions from the fills before `session_open`, and the cash the later ones moved."""

    def __init__(self, session_open: datetime) -> None:
        super().__init__()
        self.session_open = session_open
        self.earlier: dict[str, Position] = {}
        self.net_cash_since_open = Decimal(0)

    def apply(self, fill: Fill) -> None:
        if fill.time >= self.session_open:
            self.net_cash_since_open += fill.net_cash
        else:
            self.earlier.setdefault(fill.symbol, Position(fill.symbol)).apply(fill)

    def equity(self, cash: Decimal, prior_close: PriceOf) -> Decimal:
        value = cash - self.net_cash_since_open
        for symbol, position in self.earlier.items():
            if not position.is_flat:
                price = prior_close(symbol)
                value += position.market_value(
                    price if price is not None else position.average_cost
                )
        return value


def day_start_equity(account: Account, session_open: datetime, prior_close: PriceOf) -> Decimal:
    """Cash plus positions as they stood at `session_open`, positions at the prior closes."""
    replay = _DayStart(session_open)
    replay.extend(account.fills)
    return replay.equity(account.cash, prior_close)


def equity_now(account: Account, latest_price: PriceOf) -> Decimal:
    """Cash plus positions at the latest prices (average cost for a symbol never quoted)."""
    prices: dict[str, Decimal] = {}
    for symbol, position in account.positions.items():
        if not position.is_flat:
            price = latest_price(symbol)
            prices[symbol] = price if price is not None else position.average_cost
    return account.equity(prices)


@dataclass(frozen=True)
class OtherAccount:
    """Another account of the same holder, as committed, and the scenario it trades in."""

    scenario_id: str
    account: Account
    stop_order_ids: frozenset[str]


def activity_of(
    other: OtherAccount,
    at: datetime,
    session_open: datetime,
    prior_close: PriceOf,
    latest: PriceOf,
) -> AccountActivity:
    """`other`'s figures and closed trades at `at`, its own market's time (`session_open`: the
    open of its market's current session, its "today"). The peak is today's start or now, whichever
    is higher: the drawdown is never judged on several accounts together."""
    account = other.account
    equity = equity_now(account, latest)
    start = day_start_equity(account, session_open, prior_close)
    trades = closed_trades_from_fills(account.fills, other.stop_order_ids)
    return AccountActivity(AccountFigures(equity, start, max(equity, start)), trades, at)


class AccountWatch:
    """Keeps each account's peak equity and hands the account breakers their figures."""

    def __init__(self, board: BreakerBoard) -> None:
        self.board = board
        self._tracks: dict[str, _Track] = {}
        self._stop_orders: dict[str, set[str]] = {}
        self._trades: dict[str, _Trades] = {}
        self._day_starts: dict[str, _DayStart] = {}

    def note_stop_orders(self, account_id: str, order_ids: frozenset[str]) -> None:
        """The account's filled stop orders as stored, added to those noted before (a stop order
        not seen before may have closed trades already replayed: they are replayed again)."""
        known = self._stop_orders.setdefault(account_id, set())
        if not order_ids <= known:
            known |= order_ids
            self._trades.pop(account_id, None)

    def note_peak(self, account_id: str, epoch: int, peak: Decimal | None) -> None:
        """The peak equity stored with the account (seen by any process) for `epoch`."""
        if peak is None:
            return
        track = self._tracks.get(account_id)
        if track is None or track.epoch != epoch:
            self._tracks[account_id] = _Track(epoch, peak)
        else:
            track.peak = max(track.peak, peak)

    def peak_equity(self, account_id: str, epoch: int) -> Decimal | None:
        """The highest equity seen for the account in `epoch` (None: not judged in it here)."""
        track = self._tracks.get(account_id)
        return track.peak if track is not None and track.epoch == epoch else None

    def note_stop_order(self, account_id: str, order_id: str) -> None:
        """One stop order seen by the gate (its fills will be stop exits)."""
        self._stop_orders.setdefault(account_id, set()).add(order_id)

    def figures(
        self, account: Account, session_open: datetime, prior_close: PriceOf, latest: PriceOf
    ) -> AccountFigures:
        """Equity now, at the session's start and at the peak (the peak is updated)."""
        epoch = account.ledger.epoch
        equity = equity_now(account, latest)
        fills = account.fills
        day = self._day_starts.get(account.id)
        if day is None or day.session_open != session_open or not day.continues(fills):
            day = self._day_starts[account.id] = _DayStart(session_open)
        day.extend(fills)
        start = day.equity(account.cash, prior_close)
        track = self._tracks.get(account.id)
        if track is None or track.epoch != epoch:
            track = _Track(epoch, max(equity, start))
            self._tracks[account.id] = track
        track.peak = max(track.peak, equity, start)
        return AccountFigures(equity=equity, day_start_equity=start, peak_equity=track.peak)

    def observe(
        self,
        account: Account,
        at: datetime,
        session_open: datetime,
        prior_close: PriceOf,
        latest: PriceOf,
        others: Sequence[AccountActivity] = (),
    ) -> BreakerTransition | None:
        """Judge `account` at `at` (market time) with its figures and closed trades, and with the
        holder's `others` accounts when limits bind them together."""
        figures = self.figures(account, session_open, prior_close, latest)
        breaker = self.board.account(account.id)
        return breaker.observe(figures, self.closed_trades(account), at, others)

    def closed_trades(self, account: Account) -> list[ClosedTrade]:
        """The trades the account's fills closed, oldest first (what `closed_trades_from_fills`
        gives), replaying only the fills not seen before."""
        fills = account.fills
        stops = self._stop_orders.setdefault(account.id, set())
        replay = self._trades.get(account.id)
        if replay is None or not replay.continues(fills):
            replay = self._trades[account.id] = _Trades(stops)
        replay.extend(fills)
        return replay.closed.trades
