"""The runner's broker on the live `ExecutionEngine`: the `engine` loop, and a strategy runtime.

`EngineBroker` keeps the fast broker's books (open and closed trades, fill log) but executes every
order through `keel.engine.ExecutionEngine` on a replay clock (`FixedClock`), as live trading does:

- the clock moves to each bar's open and close (`keel.market.bars.bar_spans_ns`: 09:30 and 16:00
  New York for daily bars, the bar's start and end otherwise); the symbol's breaker on the
  engine's `BreakerBoard` observes the bar's regime at its close when breakers are on;
- an order is an `OrderRequest` (market, whole or fractional units) placed on the account after a
  quote built from the bar's price at that time (`quote_from_price`: the open for next-open
  fills, the close for close fills), so it fills at once on that quote;
- the order gate is `keel.risk.standard_gate`: new exposure at CAUTIOUS and RESTRICTED is sized
  in whole units within the gate's cap (RESTRICTED's: 10 % of equity), read from the board's live
  verdict;
- sizing reads the engine's `Account` (Decimal cash and position), not the fast books.

The fast loops use the same `OrderExecutor` and the same `Broker.market` logic, with the breaker
levels precomputed (`regimes.breaker_levels`); tests prove both give identical fills.
"""

from __future__ import annotations

import numpy as np

from keel.backtest.broker import Broker
from keel.backtest.calendar import bar_frequency
from keel.backtest.fills import FillRule, execution_config
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategy import Bars
from keel.domain.account import Account
from keel.domain.clock import FixedClock
from keel.domain.enums import OrderSide, OrderType, Permission, Regime
from keel.domain.fills import Fill
from keel.domain.money import to_money, to_price, to_quantity
from keel.domain.order_requests import OrderRequest
from keel.engine import ExecutionEngine, quote_from_price
from keel.market.bars import bar_spans_ns, utc_from_ns
from keel.risk import BreakerBoard, BreakerCheck, standard_gate

SYMBOL = "BACKTEST"
"""The symbol a backtest trades on the engine (its name appears only in reasons)."""
ACCOUNT_ID = "backtest"


def bar_times_ns(bars: Bars) -> tuple[np.ndarray, np.ndarray]:
    """Open and close time of every bar as int64 UTC nanoseconds (cached on `bars`)."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        return bar_spans_ns(bars.index, bar_frequency(bars.nanoseconds))

    return bars.calendar("spans", compute)  # type: ignore[return-value]


class EngineBroker(Broker):
    """Executes the runner's orders on a live `ExecutionEngine` with a replay clock."""

    __slots__ = (
        "account",
        "board",
        "breakers",
        "check",
        "clock",
        "close_times",
        "config",
        "engine",
        "engine_fills",
        "open_times",
        "refusals",
        "regimes",
    )

    def __init__(self, settings: ExecutionSettings, bars: Bars, regimes: np.ndarray) -> None:
        super().__init__(settings.cash, FillRule.from_settings(settings, money_grid=True))
        opens, closes = bar_times_ns(bars)
        self.open_times = [utc_from_ns(ns) for ns in opens.tolist()]
        self.close_times = [utc_from_ns(ns) for ns in closes.tolist()]
        self.clock = FixedClock(self.open_times[0])
        self.config = execution_config(settings)
        self.board = BreakerBoard()
        self.check = BreakerCheck(self.board)
        self.breakers = settings.breakers
        self.regimes = regimes
        self.engine = ExecutionEngine(self.clock, self.config, gate=standard_gate(self.board))
        self.account = Account.open(
            ACCOUNT_ID,
            to_money(settings.cash),
            time=self.clock.now(),
            shorting_allowed=settings.long_short,
        )
        self.engine.add_account(self.account)
        self.engine_fills: list[Fill] = []
        self.refusals: list[str] = []
        """The engine's reason for every order it refused (e.g. the gate at RESTRICTED)."""

    # ----- the replay clock ----------------------------------------------------------------------

    def open_bar(self, bar: int) -> None:
        """Move the clock to the open of `bar`; fills now happen at the open."""
        self.clock.set(self.open_times[bar])
        self.at_close = False

    def close_bar(self, bar: int) -> None:
        """Move the clock to the close of `bar`; the symbol breaker observes its regime."""
        self.clock.set(self.close_times[bar])
        self.at_close = True
        if self.breakers:
            regime = Regime(int(self.regimes[bar]))
            self.board.symbol(SYMBOL).observe_regime(regime, self.clock.now())

    # ----- what the strategy and the sizing see: the engine's account ----------------------------

    def position_size(self) -> float:
        return float(self.account.position(SYMBOL).quantity)

    def equity_at(self, mark: float) -> float:
        return float(self.account.cash) + self.position_size() * mark

    def available_at(self, mark: float) -> float:
        return max(0.0, self.equity_at(mark) - abs(self.position_size()) * mark)

    # ----- orders ---------------------------------------------------------------------------------

    def capped(self, units: float, reference: float, cap: float | None) -> float:
        """As `Broker.capped`, but the cap comes from the board's live verdict (the precomputed
        `cap` is ignored); `fill` then leaves the last word to the engine's gate, which refuses
        new exposure at CLOSED."""
        verdict = self.board.verdict(ACCOUNT_ID, SYMBOL)
        if verdict.level not in (Permission.CAUTIOUS, Permission.RESTRICTED):
            return units
        multiplier = float(self.check.size_multiplier(verdict))
        return self.within_cap(units, reference, multiplier)

    def fill(self, units: float, reference: float, bar: int) -> bool:
        """Place one market order of `units` on the engine after a quote at `reference`."""
        now = self.clock.now()
        self.engine.on_quote(quote_from_price(SYMBOL, to_price(reference), now, self.config))
        request = OrderRequest(
            account_id=ACCOUNT_ID,
            symbol=SYMBOL,
            side=OrderSide.BUY if units > 0 else OrderSide.SELL,
            type=OrderType.MARKET,
            quantity=to_quantity(abs(units)),
        )
        placement = self.engine.place(request)
        fills = placement.result.fills
        if not fills:
            self.refusals.append(placement.order.events[-1].reason)
        for fill in fills:
            self.engine_fills.append(fill)
            self.book(float(fill.signed_quantity), float(fill.price), float(fill.commission), bar)
        return bool(fills)
