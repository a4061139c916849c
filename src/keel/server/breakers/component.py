"""The risk runtime: volatility trackers and the breaker board, fed by the market feed's steps.

Per step of the replay (market time, never the wall clock):

- every quote goes to its symbol's anomaly detector and symbol breaker (price jumps);
- the index's quotes (SPX) go to the market-wide breaker, whose session starts on the first index
  quote of each trading day with the prior session's close;
- on a day's last tick the daily bar the feed completed (`MarketFeed.completed_bars`) goes to the
  symbol's estimators and regime classifier, and the regime to the symbol breaker;
- the transitions and regime changes of the step are stored, then published on the WebSocket
  channels `breakers` and `volatility` (account breakers on the owner's `notifications`).

Account breakers are judged by the order gate (`RiskGate`) at placement, approval and trigger,
with the figures of the account the engine hands it — and, when a minor's guardian limits bind all
their accounts (`AccountRiskConfig.together`), with the minor's other accounts as committed
(`note_other_accounts`), each valued in its own scenario's market time, prices and day. Each
scenario has its own risk runtime (`LiveScenario.risk`, its gate used by the scenario's accounts),
storing and publishing under the scenario's id.

Breakers enforce by default; `set_mode(MEASURE_ONLY)` lets them run and record without binding
(chosen at start by `KEEL_BREAKER_MODE=measure`, as the integration tests of other modules do).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.account import Account
from keel.domain.enums import Permission
from keel.domain.gate import GateContext, GateDecision, GateReview
from keel.domain.orders import Order
from keel.domain.quotes import Quote
from keel.engine.fill_model import STOP_TYPES
from keel.market.bars import SESSION_TZ, session_bounds
from keel.risk import (
    AccountActivity,
    BreakerBoard,
    BreakerCheck,
    BreakerMachine,
    BreakerMode,
    BreakerTransition,
    GateChain,
    IllegalBreakerTransition,
    LessonLockCheck,
    MarketBreakerConfig,
    MarketWideBreaker,
    MinorRulesCheck,
    PositionLimitCheck,
)
from keel.server.breakers.accounts import AccountWatch, OtherAccount, activity_of
from keel.server.breakers.publishing import Outbox
from keel.server.market.feed import MarketFeed
from keel.server.metrics import BREAKER_LEVEL
from keel.server.runtime import Runtime
from keel.server.volatility.tracker import RegimeChange, SymbolVolatility

log = structlog.get_logger(__name__)

SESSION_LENGTH = timedelta(hours=6, minutes=30)
"""A regular New York session, 09:30–16:00."""
INDEX_SYMBOL = "SPX"
"""The reference index of the market-wide breaker."""


class RiskGate:
    """The order gate: judges the order's account breaker, then the breaker permission
    (`keel.risk.BreakerCheck`: the tightest of market, symbol and account), then the minors' rules
    (`keel.risk.MinorRulesCheck`, the guardian limits coming with the minor's account), then the
    account's position limit (`keel.risk.PositionLimitCheck`: a class's rule comes with the
    account).

    Buying power and positions to sell stay with the orders side (the engine's reservations), so
    their refusals keep their own codes and words; `keel.risk.standard_gate` composes all of them
    for callers without such a shell.
    """

    def __init__(self, risk: RiskRuntime, chain: GateChain) -> None:
        self.risk = risk
        self.chain = chain
        self._others: dict[str, tuple[OtherAccount, ...]] = {}

    def check(self, order: Order, context: GateContext) -> GateDecision:
        if order.type in STOP_TYPES:
            self.risk.accounts.note_stop_order(order.account_id, order.id)
        self.risk.observe_account(context.account, self._others.get(context.account.id, ()))
        return self.chain.check(order, context)

    def review(self, order: Order, context: GateContext) -> GateReview:
        """Every check's verdict (an order preview), the account's breaker judged as `check`
        judges it; a previewed order is never noted as a stop order (it will not fill)."""
        self.risk.observe_account(context.account, self._others.get(context.account.id, ()))
        return self.chain.review(order, context)

    def judges_together(self, account_id: str) -> bool:
        """Whether limits bind the account together with its holder's other accounts
        (`TogetherAware`: only then does a workspace read them)."""
        return self.risk.board.account(account_id).config.together is not None

    def note_other_accounts(self, account_id: str, others: Sequence[OtherAccount]) -> None:
        """The holder's other accounts as committed, judged with `account_id` from now on."""
        if others:
            self._others[account_id] = tuple(others)
        else:
            self._others.pop(account_id, None)

    def note_stop_orders(self, account_id: str, order_ids: frozenset[str]) -> None:
        """The orders side's list of the account's filled stop orders (`StopOrderAware`)."""
        self.risk.accounts.note_stop_orders(account_id, order_ids)

    def note_peak(self, account_id: str, epoch: int, peak: Decimal | None) -> None:
        """The account's stored peak equity (`PeakAware`)."""
        self.risk.accounts.note_peak(account_id, epoch, peak)

    def peak_equity(self, account_id: str, epoch: int) -> Decimal | None:
        """The peak equity seen for the account in `epoch`, to store (`PeakAware`)."""
        return self.risk.accounts.peak_equity(account_id, epoch)


class RiskRuntime:
    """Live volatility and circuit breakers of one engine process."""

    def __init__(
        self,
        runtime: Runtime,
        feed: MarketFeed,
        trackers: dict[str, SymbolVolatility],
        board: BreakerBoard,
        *,
        index_symbol: str = INDEX_SYMBOL,
    ) -> None:
        self.runtime = runtime
        self.feed = feed
        self.trackers = trackers
        self.board = board
        self.index_symbol = index_symbol
        self.accounts = AccountWatch(board)
        self.outbox = Outbox(runtime, feed.scenario_id)
        self.gate = RiskGate(
            self,
            GateChain(
                [LessonLockCheck(), BreakerCheck(board), MinorRulesCheck(), PositionLimitCheck()]
            ),
        )
        self._session_day: date | None = None
        self._prior_closes: dict[tuple[str, date], Decimal | None] = {}
        self._step_lock = asyncio.Lock()
        self.mode = BreakerMode.ENFORCE

    def set_mode(self, mode: BreakerMode) -> None:
        """ENFORCE: breakers bind orders. MEASURE_ONLY: they run and record, and allow everything."""
        self.mode = mode
        for machine in self.board.machines():
            self._apply_mode(machine)

    def _apply_mode(self, machine: BreakerMachine) -> None:
        if machine.policy.mode is not self.mode:
            machine.policy = replace(machine.policy, mode=self.mode)

    # ----- prices -------------------------------------------------------------------------------

    def prior_close(self, symbol: str, day: date) -> Decimal | None:
        """Close of the last session of `symbol` before `day` (None when unknown).

        Read from the stored history rather than `MarketFeed.previous_close`, which is the same
        price on the price grid during a session but rolls to the day's own close on its closing
        step (the account breaker still judges that day against the session before), and which
        an API replica (never fed steps) does not follow; `test_feed_equivalence.py` shows both.
        """
        key = (symbol, day)
        if key not in self._prior_closes:
            self._prior_closes[key] = prior_close_in(self.feed, symbol, day)
        return self._prior_closes[key]

    def latest_price(self, symbol: str) -> Decimal | None:
        quote = self.feed.latest_quote(symbol)
        return quote.last if quote is not None else None

    def market_time(self) -> datetime:
        """The replay's market time (the runtime clock before the first step)."""
        return self.feed.market_time or self.runtime.clock.now()

    # ----- start --------------------------------------------------------------------------------

    def prime(self) -> None:
        """Hand each symbol breaker its warmed-up regime and record the first readings."""
        for symbol, tracker in sorted(self.trackers.items()):
            at = tracker.bar_close_time()
            if at is None:
                continue
            reading = tracker.reading
            self.outbox.regime(RegimeChange(symbol, None, reading, at))
            breaker = self.board.symbol(symbol)
            self.outbox.transition(breaker.observe_regime(reading.regime, at, reading.figures))
        for machine in self.board.machines():
            BREAKER_LEVEL.labels(machine.scope.value, machine.scope_key).set(int(machine.level))

    # ----- feed steps ---------------------------------------------------------------------------

    async def on_step(self, quotes: list[Quote]) -> None:
        """Judge one step of the replay, then store and publish what changed."""
        async with self._step_lock:
            for quote in quotes:
                self._on_quote(quote)
            if quotes and all(q.symbol != self.index_symbol for q in quotes):
                self._index_silent(max(q.time for q in quotes))
            await self.outbox.flush()

    async def on_feed_stalled(self, seconds_without_prices: float) -> None:
        """Prices stopped arriving (wall time; market time stands still with them): the
        market-wide breaker's stale-data rule closes the market until they flow again."""
        async with self._step_lock:
            at = self.market_time()
            self.outbox.transition(self.board.market.on_feed_stalled(at, seconds_without_prices))
            await self.outbox.flush()

    def _on_quote(self, quote: Quote) -> None:
        tracker = self.trackers.get(quote.symbol)
        if tracker is None:
            return
        for event in tracker.on_quote(float(quote.last), quote.time):
            self.outbox.anomaly(quote.symbol, event)
        breaker = self.board.symbol(quote.symbol)
        self.outbox.transition(
            breaker.observe_price(quote.last, quote.time, tracker.annualized_vol)
        )
        day = quote.time.astimezone(SESSION_TZ).date()
        if quote.symbol == self.index_symbol:
            self._start_session(day)
            self.outbox.transition(self.board.market.on_index_price(quote.last, quote.time))
        if quote.time >= session_bounds(day)[1]:
            self._on_bar(tracker, day, quote.time)

    def _on_bar(self, tracker: SymbolVolatility, day: date, at: datetime) -> None:
        # The bar the feed completed on this step (prices on the price grid): never a stored row
        # of the full history, which also holds the future.
        bar = next((b for b in self.feed.completed_bars if b.symbol == tracker.symbol), None)
        if bar is None or tracker.as_of == day:
            return
        previous = tracker.reading.regime
        reading = tracker.on_bar(
            float(bar.open), float(bar.high), float(bar.low), float(bar.close), day
        )
        if reading.regime is not previous:
            self.outbox.regime(RegimeChange(tracker.symbol, previous, reading, at))
        breaker = self.board.symbol(tracker.symbol)
        self.outbox.transition(breaker.observe_regime(reading.regime, at, reading.figures))
        self.outbox.volatility(tracker)

    def _start_session(self, day: date) -> None:
        if day == self._session_day:
            return
        prior = self.prior_close(self.index_symbol, day)
        if prior is None:
            return
        opens_at, closes_at = session_bounds(day)
        self.board.market.start_session(prior, opens_at, closes_at)
        self._session_day = day

    def _index_silent(self, at: datetime) -> None:
        """A step without an index quote: the market-wide breaker judges the silence."""
        if self._session_day is None:
            return
        day = at.astimezone(SESSION_TZ).date()
        if day != self._session_day:
            prior = self.prior_close(self.index_symbol, day)
            if prior is not None:
                self.board.market.start_session(prior, *session_bounds(day))
                self._session_day = day
        self.outbox.transition(self.board.market.on_clock(at))

    # ----- accounts (called by the gate, synchronously) -----------------------------------------

    def observe_account(self, account: Account, others: Sequence[OtherAccount] = ()) -> None:
        """Judge `account`'s breaker now (market time) with its equity figures and trades, and
        the holder's `others` accounts when limits bind them together."""
        at = self.feed.market_time
        if at is None:
            return
        day = at.astimezone(SESSION_TZ).date()
        session_open = session_bounds(day)[0]
        breaker = self.board.account(account.id)
        self._apply_mode(breaker.machine)
        activities = self.activities(others) if breaker.config.together is not None else []
        try:
            transition = self.accounts.observe(
                account,
                at,
                session_open,
                lambda symbol: self.prior_close(symbol, day),
                self.latest_price,
                activities,
            )
        except IllegalBreakerTransition:
            # The gate still judges the breaker's current level; a bad observation must not
            # turn an order into a server error.
            log.exception("account breaker observation refused", account_id=account.id)
            return
        self.outbox.transition(transition)

    def activities(self, others: Sequence[OtherAccount]) -> list[AccountActivity]:
        """Each of `others` valued in its own scenario: that market's time, its current session
        (the account's "today") and its prices. An account whose scenario this process does not
        know is left out (none: every process knows every active scenario)."""
        result: list[AccountActivity] = []
        for other in others:
            live = self.runtime.scenarios.get(other.scenario_id)
            if live is None:
                continue
            risk, feed = live.risk, live.feed
            at = live.clock.now()
            day = at.astimezone(SESSION_TZ).date()

            def latest(symbol: str, feed: MarketFeed = feed) -> Decimal | None:
                quote = feed.latest_quote(symbol)
                return quote.last if quote is not None else None

            def prior(
                symbol: str,
                risk: RiskRuntime | None = risk,
                feed: MarketFeed = feed,
                day: date = day,
            ) -> Decimal | None:
                if risk is not None:
                    return risk.prior_close(symbol, day)
                return prior_close_in(feed, symbol, day)

            result.append(activity_of(other, at, session_bounds(day)[0], prior, latest))
        return result

    # ----- admin --------------------------------------------------------------------------------

    async def force(
        self,
        level: Permission,
        *,
        symbol: str | None,
        by: str,
        reason: str,
        session: AsyncSession | None = None,
    ) -> BreakerTransition:
        """Admin: halt (CLOSED, pinned) or resume (OPEN) the market, or one symbol when given;
        stored in `session` (a request's) when given."""
        async with self._step_lock:
            at = self.market_time()
            if symbol is None:
                market = self.board.market
                transition = (
                    market.halt(at, by=by, reason=reason)
                    if level is Permission.CLOSED
                    else market.resume(at, by=by, reason=reason)
                )
            else:
                machine = self.board.symbol(symbol).machine
                transition = machine.force(level, at, by=by, reason=reason)
            self.outbox.transition(transition)
            await self.outbox.flush(session)
            return transition

    async def halt_again(
        self, symbol: str | None, *, by: str, reason: str
    ) -> BreakerTransition | None:
        """Halt the market (or a known symbol) again after a takeover or restart, as an admin had
        it; None (logged) when the symbol is unknown here or the breaker refuses."""
        if symbol is not None and symbol not in self.trackers:
            return None
        try:
            return await self.force(Permission.CLOSED, symbol=symbol, by=by, reason=reason[:400])
        except IllegalBreakerTransition:
            log.exception("halting again failed", symbol=symbol)
            return None


def prior_close_in(feed: MarketFeed, symbol: str, day: date) -> Decimal | None:
    """Close of the last session of `symbol` in `feed`'s history before `day` (None: unknown)."""
    item = feed.instrument(symbol)
    if item is None:
        return None
    earlier = item.history[item.history.index < pd.Timestamp(day)]
    return None if earlier.empty else Decimal(str(earlier["Close"].iloc[-1]))


def market_breaker_config(feed: MarketFeed) -> MarketBreakerConfig:
    """Default levels; the stale-feed limit allows three replay ticks of market time."""
    tick = SESSION_LENGTH / max(feed.ticks_per_bar - 1, 1)
    default = MarketBreakerConfig()
    return MarketBreakerConfig(stale_after=max(default.stale_after, 3 * tick))


def build_risk(
    runtime: Runtime,
    feed: MarketFeed,
    trackers: dict[str, SymbolVolatility],
    breaker_mode: str | None = None,
) -> RiskRuntime:
    """A risk runtime over `feed` with warmed-up `trackers`, its gate not yet registered;
    `breaker_mode` is the scenario's (the settings' when None)."""
    board = BreakerBoard(MarketWideBreaker(market_breaker_config(feed)))
    for symbol in trackers:
        board.symbol(symbol)
    risk = RiskRuntime(runtime, feed, trackers, board)
    if (breaker_mode or runtime.settings.breaker_mode) == "measure":
        # `KEEL_BREAKER_MODE=measure`: breakers run and record but bind nothing (`set_mode`).
        risk.set_mode(BreakerMode.MEASURE_ONLY)
    return risk
