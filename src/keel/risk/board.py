"""The breaker board: every breaker in one place, and the tightest level for (account, symbol).

Levels are ordered (OPEN < CAUTIOUS < RESTRICTED < CLOSED), so the tightest level that applies is
the maximum over the market-wide breaker, the symbol's and the account's. Breakers in measure-only
mode are reported (`measured`) but never bind (`level`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from keel.domain.enums import Permission, Regime
from keel.risk.account_breaker import AccountBreaker, AccountRiskConfig
from keel.risk.machine import BreakerMachine
from keel.risk.market_breaker import MarketBreakerConfig, MarketWideBreaker
from keel.risk.symbol_breaker import SymbolBreaker, SymbolBreakerConfig
from keel.risk.transitions import BreakerTransition, Figure, breaker_name


@dataclass(frozen=True, slots=True)
class Verdict:
    """The tightest level that binds an (account, symbol) pair now, and which breaker set it.

    `measured` is the level the breakers would set with measure-only ones enforcing too; `regime` is
    the symbol's latest regime (for the CAUTIOUS size multiplier). A condition-based level has a
    `condition` (what must change) and no `reopen_at`; `figures` are the numbers behind it.
    """

    level: Permission
    breaker: str | None
    rule: str
    reason: str
    reopen_at: datetime | None
    regime: Regime
    measured: Permission
    probing: bool = False
    condition: str | None = None
    figures: Mapping[str, Figure] = field(default_factory=dict)


class BreakerBoard:
    """Holds the market-wide breaker and a breaker per symbol and per account, made on first use."""

    def __init__(
        self,
        market: MarketWideBreaker | None = None,
        *,
        symbol_config: SymbolBreakerConfig | None = None,
        account_config: AccountRiskConfig | None = None,
    ) -> None:
        self.market = market or MarketWideBreaker(MarketBreakerConfig())
        self._symbol_config = symbol_config or SymbolBreakerConfig()
        self._account_config = account_config or AccountRiskConfig()
        self._symbols: dict[str, SymbolBreaker] = {}
        self._accounts: dict[str, AccountBreaker] = {}

    def symbol(self, symbol: str) -> SymbolBreaker:
        """The breaker of `symbol` (created with the board's default config)."""
        if symbol not in self._symbols:
            self._symbols[symbol] = SymbolBreaker(symbol, self._symbol_config)
        return self._symbols[symbol]

    def account(self, account_id: str) -> AccountBreaker:
        """The breaker of `account_id` (created with the board's default limits)."""
        if account_id not in self._accounts:
            self._accounts[account_id] = AccountBreaker(account_id, self._account_config)
        return self._accounts[account_id]

    def configure_account(self, account_id: str, config: AccountRiskConfig) -> None:
        """Set one account's limits (a guardian does this for a minor)."""
        self.account(account_id).configure(config)

    def machines(self) -> list[BreakerMachine]:
        """Every breaker's state machine: market first, then symbols, then accounts."""
        return [
            self.market.machine,
            *(b.machine for b in self._symbols.values()),
            *(b.machine for b in self._accounts.values()),
        ]

    def verdict(self, account_id: str, symbol: str) -> Verdict:
        """The tightest level binding `account_id` trading `symbol` now."""
        candidates = [
            self.market.machine,
            self.symbol(symbol).machine,
            self.account(account_id).machine,
        ]
        binding = max(candidates, key=lambda m: m.effective_level)
        measured = max(m.level for m in candidates)
        regime = self.symbol(symbol).regime
        if binding.effective_level is Permission.OPEN:
            return Verdict(
                Permission.OPEN, None, "calm", "no breaker applies", None, regime, measured
            )
        state = binding.state
        return Verdict(
            level=binding.effective_level,
            breaker=breaker_name(binding.scope, binding.scope_key),
            rule=state.rule,
            reason=state.reason,
            reopen_at=state.reopen_at,
            regime=regime,
            measured=measured,
            probing=state.probing,
            condition=state.condition,
            figures=state.figures,
        )

    def transitions(self, since: datetime | None = None) -> list[BreakerTransition]:
        """Every recorded transition (all breakers), oldest first, optionally from `since` on."""
        merged = [t for m in self.machines() for t in m.history]
        if since is not None:
            merged = [t for t in merged if t.at >= since]
        return sorted(merged, key=lambda t: t.at)
