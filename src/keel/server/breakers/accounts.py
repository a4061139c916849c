"""Feeding the per-account breakers: equity now, at the session's start and at its peak.

The figures come from the domain `Account` the order gate is handed (cash, fills, positions) and
the feed's prices, never from a query in the gate:

- equity now: cash plus positions at the latest traded prices (average cost when never quoted);
- equity at the session's start: today's fills (time at or after the session's open) undone from
  cash and positions, positions valued at the prior session's closes;
- peak: the highest of those seen for the account in its current epoch since this process
  started (an account reset starts afresh).

Closed trades for the loss-streak rule and the stop-loss guard come from the epoch's fills
(`closed_trades_from_fills`, replayed incrementally: within an epoch fills only ever append, so
each judgement replays just the fills it has not seen); which of them were stop exits comes from the stop order ids the
orders side notes (`note_stop_orders`: the epoch's filled stop and stop-limit orders, read with the
fills) and the stop orders the gate itself sees at placement and trigger (`note_stop_order`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from keel.domain.account import Account
from keel.domain.fills import Fill
from keel.domain.portfolio import Position, positions_from_fills
from keel.risk import (
    AccountFigures,
    BreakerBoard,
    BreakerTransition,
    ClosedTrade,
)

PriceOf = Callable[[str], Decimal | None]


@dataclass
class _Track:
    epoch: int
    peak: Decimal


@dataclass
class _Trades:
    """The closed trades of an account's first `count` fills (the last of them `last_fill_id`)."""

    count: int = 0
    last_fill_id: str | None = None
    positions: dict[str, Position] = field(default_factory=dict)
    trades: list[ClosedTrade] = field(default_factory=list)

    def continues(self, fills: tuple[Fill, ...]) -> bool:
        """Whether `fills` start with the fills replayed so far."""
        if len(fills) < self.count:
            return False
        return self.count == 0 or fills[self.count - 1].id == self.last_fill_id

    def extend(self, fills: tuple[Fill, ...], stop_order_ids: set[str]) -> None:
        for fill in fills[self.count :]:
            position = self.positions.setdefault(fill.symbol, Position(fill.symbol))
            realized = position.apply(fill)
            if realized != 0:
                by_stop = fill.order_id in stop_order_ids
                self.trades.append(ClosedTrade(fill.symbol, fill.time, realized, by_stop=by_stop))
        self.count = len(fills)
        self.last_fill_id = fills[-1].id if fills else None


def day_start_equity(account: Account, session_open: datetime, prior_close: PriceOf) -> Decimal:
    """Cash plus positions as they stood at `session_open`, positions at the prior closes."""
    today = [fill for fill in account.fills if fill.time >= session_open]
    earlier = [fill for fill in account.fills if fill.time < session_open]
    cash = account.cash - sum((fill.net_cash for fill in today), Decimal(0))
    value = cash
    for symbol, position in positions_from_fills(earlier).items():
        if not position.is_flat:
            price = prior_close(symbol)
            value += position.market_value(price if price is not None else position.average_cost)
    return value


def equity_now(account: Account, latest_price: PriceOf) -> Decimal:
    """Cash plus positions at the latest prices (average cost for a symbol never quoted)."""
    prices: dict[str, Decimal] = {}
    for symbol, position in account.positions.items():
        if not position.is_flat:
            price = latest_price(symbol)
            prices[symbol] = price if price is not None else position.average_cost
    return account.equity(prices)


class AccountWatch:
    """Keeps each account's peak equity and hands the account breakers their figures."""

    def __init__(self, board: BreakerBoard) -> None:
        self.board = board
        self._tracks: dict[str, _Track] = {}
        self._stop_orders: dict[str, set[str]] = {}
        self._trades: dict[str, _Trades] = {}

    def note_stop_orders(self, account_id: str, order_ids: frozenset[str]) -> None:
        """The account's filled stop orders as stored (replaces what was noted before)."""
        self._stop_orders[account_id] = set(order_ids)

    def note_stop_order(self, account_id: str, order_id: str) -> None:
        """One stop order seen by the gate (its fills will be stop exits)."""
        self._stop_orders.setdefault(account_id, set()).add(order_id)

    def figures(
        self, account: Account, session_open: datetime, prior_close: PriceOf, latest: PriceOf
    ) -> AccountFigures:
        """Equity now, at the session's start and at the peak (the peak is updated)."""
        epoch = account.ledger.epoch
        equity = equity_now(account, latest)
        start = day_start_equity(account, session_open, prior_close)
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
    ) -> BreakerTransition | None:
        """Judge `account` at `at` (market time) with its figures and closed trades."""
        figures = self.figures(account, session_open, prior_close, latest)
        return self.board.account(account.id).observe(figures, self.closed_trades(account), at)

    def closed_trades(self, account: Account) -> list[ClosedTrade]:
        """The trades the account's fills closed, oldest first (what `closed_trades_from_fills`
        gives), replaying only the fills not seen before."""
        fills = account.fills
        replay = self._trades.get(account.id)
        if replay is None or not replay.continues(fills):
            replay = self._trades[account.id] = _Trades()
        replay.extend(fills, self._stop_orders.get(account.id, set()))
        return replay.trades
