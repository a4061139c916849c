"""Risk: circuit breakers, the order gate, position sizing and the walk-forward parameter optimizer.

Pure: every time is passed in, rules are handed data (prices, regimes, equity, fills), never a
session or a clock. See docs/risk.md.
"""

from keel.risk.account_breaker import (
    AccountActivity,
    AccountBreaker,
    AccountFigures,
    AccountRiskConfig,
    ClosedTrade,
    ClosedTradeReplay,
    closed_trades_from_fills,
    together,
)
from keel.risk.account_limits import limits_in_force, looser_rules
from keel.risk.board import BreakerBoard, Verdict
from keel.risk.gate import (
    BreakerCheck,
    BuyingPowerCheck,
    CautiousAction,
    GateChain,
    PositionLimitCheck,
    standard_gate,
)
from keel.risk.machine import BreakerMachine, BreakerPolicy, BreakerState, check_transition
from keel.risk.market_breaker import DrawdownLevel, MarketBreakerConfig, MarketWideBreaker
from keel.risk.minors import MinorRulesCheck
from keel.risk.optimizer import (
    OptimizerConfig,
    ParameterTable,
    RegimeParameters,
    parameter_table,
    parameter_table_from_bars,
)
from keel.risk.sizing import (
    DEFAULT_REGIME_MULTIPLIERS,
    SizingParameters,
    position_size,
    regime_weight,
    vol_target_weight,
    vol_target_weights,
)
from keel.risk.symbol_breaker import SymbolBreaker, SymbolBreakerConfig
from keel.risk.transitions import (
    BreakerMode,
    BreakerTransition,
    Demand,
    IllegalBreakerTransition,
    Scope,
    TransitionKind,
)
from keel.risk.unlocks import LessonLockCheck

__all__ = [
    "DEFAULT_REGIME_MULTIPLIERS",
    "AccountActivity",
    "AccountBreaker",
    "AccountFigures",
    "AccountRiskConfig",
    "BreakerBoard",
    "BreakerCheck",
    "BreakerMachine",
    "BreakerMode",
    "BreakerPolicy",
    "BreakerState",
    "BreakerTransition",
    "BuyingPowerCheck",
    "CautiousAction",
    "ClosedTrade",
    "ClosedTradeReplay",
    "Demand",
    "DrawdownLevel",
    "GateChain",
    "IllegalBreakerTransition",
    "LessonLockCheck",
    "MarketBreakerConfig",
    "MarketWideBreaker",
    "MinorRulesCheck",
    "OptimizerConfig",
    "ParameterTable",
    "PositionLimitCheck",
    "RegimeParameters",
    "Scope",
    "SizingParameters",
    "SymbolBreaker",
    "SymbolBreakerConfig",
    "TransitionKind",
    "Verdict",
    "check_transition",
    "closed_trades_from_fills",
    "limits_in_force",
    "looser_rules",
    "parameter_table",
    "parameter_table_from_bars",
    "position_size",
    "regime_weight",
    "standard_gate",
    "together",
    "vol_target_weight",
    "vol_target_weights",
]
