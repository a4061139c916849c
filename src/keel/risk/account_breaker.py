"""The per-account breaker: protections against a learner's bad day (like freqtrade's protections).

It is handed data, never a session: the account's equity figures and its recent closed trades.

- daily loss: equity down ``daily_loss_limit`` (fraction) from the session's starting equity →
  RESTRICTED (only reducing orders) while it lasts, and at least ``daily_loss_lock``;
- drawdown: equity down ``max_drawdown`` from its peak → RESTRICTED, at least ``drawdown_lock``;
- stop-loss guard: ``stoploss_trades`` losing stop exits within ``stoploss_window`` → RESTRICTED
  for ``stoploss_lock``;
- cooldown after losses: ``loss_streak`` losing trades in a row → CAUTIOUS for ``loss_cooldown``.

A guardian sets an `AccountRiskConfig` for a minor's account; ``set_by`` (and ``rule_setters``
per rule, see `keel.risk.account_limits`) records who did, and every reason says so.

**All accounts together** (``AccountRiskConfig.together``: a minor's guardian's limits, finding 10
of issue 12). The rules that count or add up — the daily loss, the stop-loss guard and the losing
streak — are judged a second time, with the guardian's limits, on the holder's accounts as one
(`together`), so a minor cannot stay under a count by spreading trades over two accounts; when the
sum reaches the limit, every account of the minor is held back. Accounts may trade in different
scenarios, whose market times differ, so each account keeps its own clock: its **today** is the
current session of its own market (its loss today is counted from that session's open), and a
trade counts by how long ago it closed in its own market's time (a stop exit 2 h ago in one
market and 1 h ago in another are both inside a 6 h window, and the later one is the latest of a
streak). The drawdown stays per account: it compares an account with its own best value, not a
count or a sum of events.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from keel.domain.enums import Permission
from keel.domain.fills import Fill
from keel.domain.portfolio import Position
from keel.risk.machine import BreakerMachine, BreakerPolicy
from keel.risk.transitions import CALM, BreakerTransition, Demand, Figure, Scope
from keel.risk.wording import duration


@dataclass(frozen=True, slots=True)
class ClosedTrade:
    """A fill that realized P&L (cash, negative = loss); `by_stop` when a stop order closed it."""

    symbol: str
    closed_at: datetime
    realized_pnl: Decimal
    by_stop: bool = False


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """Equity now, at the session's start and at its peak (cash, the account's currency)."""

    equity: Decimal
    day_start_equity: Decimal
    peak_equity: Decimal


@dataclass(frozen=True, slots=True)
class AccountRiskConfig:
    """Limits of one account; a limit of None is off. Fractions: Decimal("0.05") = 5 %."""

    daily_loss_limit: Decimal | None = Decimal("0.05")
    daily_loss_lock: timedelta = timedelta(hours=2)
    max_drawdown: Decimal | None = Decimal("0.25")
    drawdown_lock: timedelta = timedelta(hours=24)
    stoploss_trades: int | None = 3
    stoploss_window: timedelta = timedelta(hours=6)
    stoploss_lock: timedelta = timedelta(hours=2)
    loss_streak: int | None = 3
    loss_cooldown: timedelta = timedelta(minutes=30)
    set_by: str = "account holder"
    rule_setters: tuple[tuple[str, str], ...] = ()
    """(rule, who) for rules set by someone other than `set_by`, e.g. a guardian's tighter limit."""
    policy: BreakerPolicy = field(default_factory=BreakerPolicy)
    together: AccountRiskConfig | None = None
    """Limits judged on all the holder's accounts as one (a minor's guardian's: the daily loss,
    stop-loss guard and losing streak; see the module docstring); None: each account alone."""

    def who_set(self, rule: str) -> str:
        """Who set `rule` ("daily_loss", "drawdown", "stoploss_guard", "loss_cooldown")."""
        return dict(self.rule_setters).get(rule, self.set_by)


@dataclass(frozen=True, slots=True)
class AccountActivity:
    """One account's figures and closed trades (oldest first) at `at`, its own market's time."""

    figures: AccountFigures
    trades: Sequence[ClosedTrade]
    at: datetime


def together(own: AccountActivity, others: Sequence[AccountActivity]) -> AccountActivity:
    """The holder's accounts as one, on `own`'s clock: equity, day-start equity and peak added up
    (each account's day being its own market's current session), and every closed trade moved onto
    `own`'s clock by how long ago it closed in its own market (`closed_at` = own.at − age)."""
    everyone = (own, *others)
    figures = AccountFigures(
        equity=sum((a.figures.equity for a in everyone), Decimal(0)),
        day_start_equity=sum((a.figures.day_start_equity for a in everyone), Decimal(0)),
        peak_equity=sum((a.figures.peak_equity for a in everyone), Decimal(0)),
    )
    trades = [
        replace(trade, closed_at=own.at - (activity.at - trade.closed_at))
        for activity in everyone
        for trade in activity.trades
    ]
    trades.sort(key=lambda trade: trade.closed_at)
    return AccountActivity(figures, trades, own.at)


@dataclass(frozen=True, slots=True)
class _Whose:
    """Whose figures a rule judges, in words: one account, or all the holder's accounts."""

    accounts: int = 1

    @property
    def alone(self) -> bool:
        return self.accounts == 1

    @property
    def subject(self) -> str:
        return "the account" if self.alone else f"your {self.accounts} accounts together"

    @property
    def across(self) -> str:
        return "" if self.alone else f" across your {self.accounts} accounts"

    @property
    def counts_all(self) -> str:
        """The sentence a limit on all accounts adds: opening another one does not get around it."""
        if self.alone:
            return ""
        return (
            "; this limit adds up all your accounts, so spreading trades over several accounts "
            "does not get around it"
        )

    def figures(self) -> dict[str, Figure]:
        return {} if self.alone else {"accounts": self.accounts}


ONE_ACCOUNT = _Whose()


class AccountBreaker:
    """Breaker for one account."""

    def __init__(self, account_id: str, config: AccountRiskConfig | None = None) -> None:
        self.account_id = account_id
        self.config = config or AccountRiskConfig()
        self.machine = BreakerMachine(Scope.ACCOUNT, account_id, self.config.policy)

    @property
    def level(self) -> Permission:
        return self.machine.level

    def configure(self, config: AccountRiskConfig) -> None:
        """Replace the limits (e.g. a guardian tightening a minor's); the current level stays."""
        self.config = config
        self.machine.policy = config.policy

    def observe(
        self,
        figures: AccountFigures,
        recent_trades: Sequence[ClosedTrade],
        at: datetime,
        others: Sequence[AccountActivity] = (),
    ) -> BreakerTransition | None:
        """Judge the account's figures and its recent closed trades (oldest first) at `at`; with
        `config.together` and the holder's `others` accounts, judge the counted rules on all of
        them as one too (the account's own verdict first: it wins a tie)."""
        config = self.config
        demands = [
            self._daily_loss(figures, config),
            self._drawdown(figures),
            self._stoploss_guard(recent_trades, at, config),
            self._loss_streak(recent_trades, at, config),
        ]
        shared = config.together
        if shared is not None and others:
            whose = _Whose(1 + len(others))
            combined = together(AccountActivity(figures, recent_trades, at), others)
            demands += [
                self._daily_loss(combined.figures, shared, whose),
                self._stoploss_guard(combined.trades, at, shared, whose),
                self._loss_streak(combined.trades, at, shared, whose),
            ]
        return self.machine.observe(max(demands, key=lambda d: d.level), at)

    def _daily_loss(
        self, figures: AccountFigures, config: AccountRiskConfig, whose: _Whose = ONE_ACCOUNT
    ) -> Demand:
        limit = config.daily_loss_limit
        if limit is None or figures.day_start_equity <= 0:
            return CALM
        loss = (figures.day_start_equity - figures.equity) / figures.day_start_equity
        if loss < limit:
            return CALM
        reason = (
            f"{whose.subject} lost {loss:.1%} today (limit {_percent(limit)}, set by "
            f"{config.who_set('daily_loss')}{whose.counts_all}): new positions are kept small "
            "for now, and selling what you hold is always fine"
        )
        back = "the account is" if whose.alone else f"{whose.subject} are"
        condition = (
            f"{back} back within {_percent(limit)} of what "
            f"{'it was' if whose.alone else 'they were'} worth when today's session began (now "
            f"{loss:.1%} below), or a new trading day starts"
        )
        shown: dict[str, Figure] = {
            "loss": f"{loss:.6f}",
            "limit": str(limit),
            "equity": str(figures.equity),
            "day_start_equity": str(figures.day_start_equity),
            **whose.figures(),
        }
        return Demand(
            Permission.RESTRICTED,
            "daily_loss",
            reason,
            shown,
            config.daily_loss_lock,
            condition=condition,
        )

    def _drawdown(self, figures: AccountFigures) -> Demand:
        limit = self.config.max_drawdown
        if limit is None or figures.peak_equity <= 0:
            return CALM
        drawdown = (figures.peak_equity - figures.equity) / figures.peak_equity
        if drawdown < limit:
            return CALM
        reason = (
            f"the account is {drawdown:.1%} below its peak (limit {_percent(limit)}, "
            f"set by {self.config.who_set('drawdown')}): new positions are kept small for now, "
            "and selling what you hold is always fine"
        )
        condition = (
            f"the account climbs back within {_percent(limit)} of its peak (now {drawdown:.1%} "
            "below)"
        )
        shown = {
            "drawdown": f"{drawdown:.6f}",
            "limit": str(limit),
            "peak_equity": str(figures.peak_equity),
            "equity": str(figures.equity),
        }
        return Demand(
            Permission.RESTRICTED,
            "drawdown",
            reason,
            shown,
            self.config.drawdown_lock,
            condition=condition,
        )

    def _stoploss_guard(
        self,
        trades: Sequence[ClosedTrade],
        at: datetime,
        config: AccountRiskConfig,
        whose: _Whose = ONE_ACCOUNT,
    ) -> Demand:
        needed = config.stoploss_trades
        if needed is None:
            return CALM
        since = at - config.stoploss_window
        stops = [
            t for t in trades if t.by_stop and t.realized_pnl < 0 and since <= t.closed_at <= at
        ]
        if len(stops) < needed:
            return CALM
        # The lock counts from the latest stop, so an old burst does not re-lock the account.
        lock_left = stops[-1].closed_at + config.stoploss_lock - at
        if lock_left <= timedelta(0):
            return CALM
        hours = config.stoploss_window.total_seconds() / 3600
        reason = (
            f"{len(stops)} stop-loss exits in the last {hours:g} h{whose.across} (limit "
            f"{needed}, set by {config.who_set('stoploss_guard')}{whose.counts_all}): new "
            f"positions are paused for {duration(config.stoploss_lock)}"
        )
        shown: dict[str, Figure] = {
            "stop_losses": len(stops),
            "limit": needed,
            "window_hours": hours,
            **whose.figures(),
        }
        return Demand(Permission.RESTRICTED, "stoploss_guard", reason, shown, lock_left)

    def _loss_streak(
        self,
        trades: Sequence[ClosedTrade],
        at: datetime,
        config: AccountRiskConfig,
        whose: _Whose = ONE_ACCOUNT,
    ) -> Demand:
        needed = config.loss_streak
        if needed is None or len(trades) < needed:
            return CALM
        latest = trades[-needed:]
        if any(t.realized_pnl >= 0 for t in latest):
            return CALM
        cooldown_left = latest[-1].closed_at + config.loss_cooldown - at
        if cooldown_left <= timedelta(0):
            return CALM
        total = sum((t.realized_pnl for t in latest), Decimal(0))
        reason = (
            f"{needed} losing trades in a row{whose.across} (together {total}; limit set by "
            f"{config.who_set('loss_cooldown')}{whose.counts_all}): take a breath, new positions "
            f"are capped for {duration(config.loss_cooldown)}"
        )
        shown: dict[str, Figure] = {
            "losing_trades": needed,
            "total_loss": str(total),
            **whose.figures(),
        }
        return Demand(Permission.CAUTIOUS, "loss_cooldown", reason, shown, cooldown_left)


def _percent(fraction: Decimal) -> str:
    """0.05 → "5%", 0.025 → "2.5%" (no rounding of a limit someone typed)."""
    return f"{(fraction * 100).normalize():f}%"


class ClosedTradeReplay:
    """Fills replayed one at a time (oldest first) into the trades that realized P&L; a fill of
    an order in `stop_order_ids` (read at each `add`, the caller may add to it) is a stop exit."""

    def __init__(self, stop_order_ids: Collection[str] = frozenset()) -> None:
        self.stop_order_ids = stop_order_ids
        self.positions: dict[str, Position] = {}
        self.trades: list[ClosedTrade] = []

    def add(self, fill: Fill) -> None:
        realized = self.positions.setdefault(fill.symbol, Position(fill.symbol)).apply(fill)
        if realized != 0:
            by_stop = fill.order_id in self.stop_order_ids
            self.trades.append(ClosedTrade(fill.symbol, fill.time, realized, by_stop=by_stop))


def closed_trades_from_fills(
    fills: Iterable[Fill], stop_order_ids: Iterable[str] = ()
) -> list[ClosedTrade]:
    """Replay fills (oldest first) into the trades that realized P&L; stops flagged by order id."""
    replay = ClosedTradeReplay(set(stop_order_ids))
    for fill in fills:
        replay.add(fill)
    return replay.trades
