"""The per-symbol breaker: the symbol's volatility regime, and price jumps.

- Regime → level (defaults: LOW, NORMAL → OPEN; HIGH → CAUTIOUS; EXTREME → RESTRICTED), a lasting
  condition re-judged at each observation: its reason says what must change (the volatility the
  classifier must stay under, for how many days), never a time, since no one knows when a storm
  ends;
- a jump (one move of at least ``jump_sigmas`` standard deviations for the time it took, and at
  least ``min_jump`` in size, or any move of ``max_move`` or more) closes the symbol for
  ``jump_halt``.

The regime comes from `keel.volatility`'s classifier and the volatility from its estimators; this
breaker only judges the figures it is handed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

from keel.domain.enums import Permission, Regime
from keel.risk.machine import BreakerMachine, BreakerPolicy
from keel.risk.transitions import CALM, BreakerTransition, Demand, Figure, Scope
from keel.risk.wording import duration, instrument, percent

SECONDS_PER_TRADING_YEAR = 252 * 6.5 * 3600
"""Trading time in a year (252 sessions of 6.5 h), to scale annualised volatility to one move."""

DEFAULT_REGIME_LEVELS: Mapping[Regime, Permission] = MappingProxyType(
    {
        Regime.LOW: Permission.OPEN,
        Regime.NORMAL: Permission.OPEN,
        Regime.HIGH: Permission.CAUTIOUS,
        Regime.EXTREME: Permission.RESTRICTED,
    }
)


@dataclass(frozen=True, slots=True)
class SymbolBreakerConfig:
    """Per-symbol rules. Set ``regime_levels[EXTREME]`` to CLOSED for a stricter classroom."""

    regime_levels: Mapping[Regime, Permission] = field(
        default_factory=lambda: DEFAULT_REGIME_LEVELS
    )
    jump_sigmas: float = 6.0
    min_jump: float = 0.03
    max_move: float = 0.10
    jump_halt: timedelta = timedelta(minutes=10)
    policy: BreakerPolicy = field(default_factory=BreakerPolicy)

    def __post_init__(self) -> None:
        missing = [regime.name for regime in Regime if regime not in self.regime_levels]
        if missing:
            raise ValueError(f"regime_levels lacks {', '.join(missing)}")


class SymbolBreaker:
    """Breaker for one tradable symbol."""

    def __init__(self, symbol: str, config: SymbolBreakerConfig | None = None) -> None:
        self.symbol = symbol
        self.config = config or SymbolBreakerConfig()
        self.machine = BreakerMachine(Scope.SYMBOL, symbol, self.config.policy)
        self.regime = Regime.NORMAL
        self._regime_figures: dict[str, float | int | str] = {}
        self._last_price: float | None = None
        self._last_price_at: datetime | None = None

    @property
    def level(self) -> Permission:
        return self.machine.level

    def observe_regime(
        self,
        regime: Regime,
        at: datetime,
        figures: Mapping[str, float | int | str] | None = None,
    ) -> BreakerTransition | None:
        """Judge the symbol's current regime (e.g. from the classifier) at `at`."""
        self.regime = regime
        self._regime_figures = dict(figures or {})
        return self.machine.observe(self._regime_demand(), at)

    def observe_price(
        self, price: float | Decimal, at: datetime, annualized_vol: float | None = None
    ) -> BreakerTransition | None:
        """Judge a new price at `at`; `annualized_vol` (e.g. 0.2 = 20 %) scales the jump test."""
        previous, previous_at = self._last_price, self._last_price_at
        self._last_price, self._last_price_at = float(price), at
        demand = self._regime_demand()
        if previous is not None and previous_at is not None and previous > 0:
            jump = self._jump_demand(previous, float(price), at - previous_at, annualized_vol)
            if jump is not None:
                demand = jump
        return self.machine.observe(demand, at)

    def _regime_demand(self) -> Demand:
        level = self.config.regime_levels[self.regime]
        if level is Permission.OPEN:
            return CALM
        figures: dict[str, Figure] = {"regime": self.regime.name, **self._regime_figures}
        reason, condition = regime_words(self.symbol, self.regime, figures)
        return Demand(
            level, f"regime_{self.regime.name.lower()}", reason, figures, condition=condition
        )

    def _jump_demand(
        self, previous: float, price: float, elapsed: timedelta, annualized_vol: float | None
    ) -> Demand | None:
        move = price / previous - 1.0
        size = abs(move)
        sigmas: float | None = None
        if annualized_vol is not None and annualized_vol > 0:
            seconds = max(elapsed.total_seconds(), 1.0)
            expected = annualized_vol * math.sqrt(seconds / SECONDS_PER_TRADING_YEAR)
            sigmas = size / expected
        is_jump = size >= self.config.max_move or (
            size >= self.config.min_jump
            and sigmas is not None
            and sigmas >= self.config.jump_sigmas
        )
        if not is_jump:
            return None
        # The pause is the longer of the halt and the breaker's cooldown (more after repeated
        # jumps): "at least" keeps the sentence true, the refusal gives the time.
        pause = max(self.config.jump_halt, self.config.policy.cooldown)
        usual = ", far more than it usually moves in that time" if sigmas is not None else ""
        reason = (
            f"{instrument(self.symbol)} jumped {move:+.1%} in {duration(elapsed)}{usual}: "
            f"trading in {self.symbol} pauses for at least {duration(pause)} so prices can settle"
        )
        figures: dict[str, float | int | str] = {
            "move": round(move, 6),
            "from_price": previous,
            "to_price": price,
            "seconds": elapsed.total_seconds(),
        }
        if sigmas is not None:
            figures["sigmas"] = round(sigmas, 2)
        return Demand(Permission.CLOSED, "price_jump", reason, figures, self.config.jump_halt)


_REGIME_WORDS = {
    Regime.HIGH: "is moving more than usual",
    Regime.EXTREME: "is in a storm",
}


def regime_words(
    symbol: str, regime: Regime, figures: Mapping[str, Figure]
) -> tuple[str, str | None]:
    """The reason and the condition for a symbol held by its volatility regime, in plain words.

    The classifier's figures (`keel.volatility.regimes`) give the volatility now, the band's lower
    edge, and the calm limit and run it needs before it eases the regime by one step.
    """
    mood = _REGIME_WORDS.get(regime, f"is in a {regime.name} volatility regime")
    vol, limit, run = figures.get("ewma_vol"), figures.get("calm_limit"), figures.get("calm_run")
    edge = figures.get(f"threshold_{regime.name.lower()}")
    reason = f"{instrument(symbol)} {mood} (volatility regime {regime.name})"
    if isinstance(vol, float) and isinstance(edge, float):
        reason += (
            f": its price swings about {percent(vol)} a year lately (its volatility), and for "
            f"{symbol} {regime.name} starts at {percent(edge)}"
        )
    if not (isinstance(vol, float) and isinstance(limit, float) and isinstance(run, float)):
        return reason, None
    calm = figures.get("calm_count", 0.0)
    condition = (
        f"{symbol}'s volatility stays under {percent(limit)} for {run:g} trading days in a row "
        f"(now {percent(vol)}; {float(calm):g} of {run:g} days so far)"
    )
    return reason, condition
