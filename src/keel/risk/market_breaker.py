"""The market-wide breaker: index drawdown levels (like exchange MWCB levels 1–3), stale feed, admin.

Rules, each a `Demand` on the shared state machine:

- the index's fall from the prior session's close reaching 7 % (level 1) or 13 % (level 2) closes
  the market for 15 market minutes; 20 % (level 3) closes it for the rest of the session; each level
  fires at most once a session (a fall straight through several levels fires the deepest and uses up
  the ones above it);
- no index price for ``stale_after`` while the session is open closes the market until prices flow;
  so does a feed that stopped delivering prices at all (market time stands still with it, so the
  shell measures that silence in wall seconds and passes it to ``on_feed_stalled``);
- an admin halts (CLOSED, pinned) and resumes (OPEN) by hand.

After a halt the market reopens through RESTRICTED and CAUTIOUS, one level per cooldown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from keel.domain.enums import Permission
from keel.risk.machine import BreakerMachine, BreakerPolicy
from keel.risk.transitions import CALM, BreakerTransition, Demand, Scope
from keel.risk.wording import INDEX_SYMBOL, duration, instrument

MARKET_KEY = "market"


@dataclass(frozen=True, slots=True)
class DrawdownLevel:
    """One index-fall trigger: `fall` from the prior close (0.07 = 7 %), and how long it closes for.

    `halt` None means for the rest of the session.
    """

    number: int
    fall: float
    halt: timedelta | None


DEFAULT_LEVELS = (
    DrawdownLevel(1, 0.07, timedelta(minutes=15)),
    DrawdownLevel(2, 0.13, timedelta(minutes=15)),
    DrawdownLevel(3, 0.20, None),
)


@dataclass(frozen=True, slots=True)
class MarketBreakerConfig:
    """Defaults follow the exchange's market-wide circuit breaker (7 / 13 / 20 %)."""

    levels: tuple[DrawdownLevel, ...] = DEFAULT_LEVELS
    stale_after: timedelta = timedelta(minutes=2)
    index_symbol: str = INDEX_SYMBOL
    """The index the whole market is judged by (named in every reason)."""
    policy: BreakerPolicy = field(default_factory=BreakerPolicy)


@dataclass(slots=True)
class _Session:
    prior_close: float
    opens_at: datetime
    closes_at: datetime
    fired: set[int] = field(default_factory=set)
    last_price_at: datetime | None = None


class MarketWideBreaker:
    """Watches the reference index of the whole market. Feed it prices and clock ticks, in order."""

    def __init__(self, config: MarketBreakerConfig | None = None) -> None:
        self.config = config or MarketBreakerConfig()
        self.machine = BreakerMachine(Scope.MARKET, MARKET_KEY, self.config.policy)
        self._session: _Session | None = None

    @property
    def level(self) -> Permission:
        return self.machine.level

    def start_session(
        self, prior_close: float | Decimal, opens_at: datetime, closes_at: datetime
    ) -> None:
        """Begin a trading session: the levels are re-armed and measured from `prior_close`."""
        if closes_at <= opens_at:
            raise ValueError("a session closes after it opens")
        if float(prior_close) <= 0:
            raise ValueError("the prior close must be positive")
        self._session = _Session(float(prior_close), opens_at, closes_at)

    def on_index_price(self, price: float | Decimal, at: datetime) -> BreakerTransition | None:
        """Judge one index price at `at` (market time)."""
        session = self._require_session()
        session.last_price_at = at
        fall = 1.0 - float(price) / session.prior_close
        demand = self._drawdown_demand(session, fall, float(price), at)
        return self.machine.observe(demand, at)

    def on_clock(self, at: datetime) -> BreakerTransition | None:
        """Judge the passage of time without a price (stale feed, cooldowns)."""
        session = self._require_session()
        return self.machine.observe(self._stale_demand(session, at), at)

    def on_feed_stalled(
        self, at: datetime, seconds_without_prices: float
    ) -> BreakerTransition | None:
        """Judge a feed that stopped (`seconds_without_prices` wall seconds with no new price; `at`
        is the market time where it stopped): CLOSED, as for a silent index, until prices flow
        again and the cooldown passes."""
        index = self.config.index_symbol
        reason = (
            f"no new prices have arrived for {seconds_without_prices:.0f} seconds: the last ones "
            "may no longer be the market's real prices, so trading waits until they flow again"
        )
        figures = {"seconds_without_price": round(seconds_without_prices, 1)}
        condition = f"prices for {index} arrive again"
        demand = Demand(Permission.CLOSED, "stale_feed", reason, figures, condition=condition)
        return self.machine.observe(demand, at)

    def halt(
        self, at: datetime, *, by: str, reason: str = "halted by an admin"
    ) -> BreakerTransition:
        """Admin halt: CLOSED, pinned until `resume`."""
        return self.machine.force(Permission.CLOSED, at, by=by, reason=reason)

    def resume(
        self, at: datetime, *, by: str, reason: str = "resumed by an admin"
    ) -> BreakerTransition:
        """Admin resume: OPEN at once (rules that still fire re-escalate at the next observation)."""
        return self.machine.force(Permission.OPEN, at, by=by, reason=reason)

    def _require_session(self) -> _Session:
        if self._session is None:
            raise RuntimeError("start_session must be called before prices are judged")
        return self._session

    def _drawdown_demand(
        self, session: _Session, fall: float, price: float, at: datetime
    ) -> Demand:
        reached = [lv for lv in self.config.levels if fall >= lv.fall]
        if not reached:
            return CALM
        deepest = max(reached, key=lambda lv: lv.fall)
        if deepest.number in session.fired:
            return CALM
        session.fired.update(lv.number for lv in reached)
        hold = (
            deepest.halt if deepest.halt is not None else max(session.closes_at - at, timedelta(0))
        )
        until = "for the rest of the session" if deepest.halt is None else f"for {duration(hold)}"
        reason = (
            f"{instrument(self.config.index_symbol)}, which the whole market is judged by, fell "
            f"{fall:.1%} below its previous closing price, past the {deepest.fall:.0%} alarm "
            f"line: all trading pauses {until}, so people can think before they act"
        )
        figures = {
            "level": deepest.number,
            "threshold": deepest.fall,
            "fall": round(fall, 6),
            "price": price,
            "prior_close": session.prior_close,
        }
        return Demand(Permission.CLOSED, f"mwcb_level_{deepest.number}", reason, figures, hold)

    def _stale_demand(self, session: _Session, at: datetime) -> Demand:
        in_session = session.opens_at <= at < session.closes_at
        last = session.last_price_at or session.opens_at
        silence = at - last
        if not in_session or silence < self.config.stale_after:
            return CALM
        index = self.config.index_symbol
        reason = (
            f"no price for {instrument(index)} has arrived for {duration(silence)}: without it no one "
            "can tell what the market is doing, so trading waits"
        )
        figures = {"seconds_without_price": silence.total_seconds()}
        condition = f"prices for {index} arrive again"
        return Demand(Permission.CLOSED, "stale_feed", reason, figures, condition=condition)
