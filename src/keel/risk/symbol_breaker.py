"""The per-symbol breaker: the symbol's volatility regime, and price jumps.

- Regime → level (defaults: LOW, NORMAL → OPEN; HIGH → CAUTIOUS; EXTREME → RESTRICTED), a lasting
  condition re-judged at each observation;
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
from keel.risk.transitions import CALM, BreakerTransition, Demand, Scope

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
        reason = f"{self.symbol}'s volatility regime is {self.regime.name}"
        figures = {"regime": self.regime.name, **self._regime_figures}
        return Demand(level, f"regime_{self.regime.name.lower()}", reason, figures)

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
        minutes = self.config.jump_halt.total_seconds() / 60
        shown_sigmas = f" ({sigmas:.1f} standard deviations)" if sigmas is not None else ""
        reason = (
            f"{self.symbol} jumped {move:+.1%} in {elapsed.total_seconds():g} s{shown_sigmas}: "
            f"closed for {minutes:g} min"
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
