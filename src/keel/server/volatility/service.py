"""Use cases of volatility: each symbol's live figures, regime history, optimizer parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

import pandas as pd
from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Regime
from keel.market.bars import SESSION_TZ
from keel.risk import ParameterTable, RegimeParameters, parameter_table_from_bars
from keel.server.breakers.component import RiskRuntime
from keel.server.errors import ProblemError
from keel.server.volatility import repository
from keel.server.volatility.models import RegimeChangeRow
from keel.server.volatility.schemas import (
    AnomalyOut,
    GarchOut,
    RegimeParametersOut,
    RiskParametersOut,
    VolatilityOut,
)
from keel.server.volatility.tracker import SymbolVolatility

_TABLES: dict[tuple[str, int], ParameterTable] = {}


def known_symbol(risk: RiskRuntime, symbol: str) -> str:
    normalised = symbol.strip().upper()
    if normalised not in risk.trackers:
        raise ProblemError(
            404, "unknown-symbol", f"no volatility is tracked for {symbol!r} (not a live symbol)"
        )
    return normalised


def volatility_out(risk: RiskRuntime, tracker: SymbolVolatility) -> VolatilityOut:
    reading = tracker.reading
    params = tracker.garch_params
    return VolatilityOut(
        symbol=tracker.symbol,
        as_of=tracker.as_of,
        regime=reading.regime.name,
        confidence=reading.confidence,
        reason=reading.reason,
        deciding_figures=dict(reading.figures),
        estimators=tracker.estimator_figures(),
        breaker_level=risk.board.symbol(tracker.symbol).level.name,
        garch=GarchOut(**asdict(params)) if params is not None else None,
        recent_anomalies=[
            AnomalyOut(kind=e.kind.value, at=e.at, message=e.message, figures=dict(e.figures))
            for e in tracker.anomalies
        ],
    )


def all_volatility(risk: RiskRuntime) -> list[VolatilityOut]:
    return [volatility_out(risk, risk.trackers[s]) for s in sorted(risk.trackers)]


def one_volatility(risk: RiskRuntime, symbol: str) -> VolatilityOut:
    return volatility_out(risk, risk.trackers[known_symbol(risk, symbol)])


async def regime_history(
    session: AsyncSession, risk: RiskRuntime, symbol: str, limit: int
) -> Sequence[RegimeChangeRow]:
    chosen = known_symbol(risk, symbol)
    await risk.outbox.flush(session)
    return await repository.regime_changes(session, chosen, limit, risk.feed.scenario_id)


def parameter_table_of(risk: RiskRuntime, symbol: str) -> ParameterTable:
    """The walk-forward parameter table of `symbol` (each refit uses only earlier bars)."""
    key = (symbol, risk.feed.seed)
    if key not in _TABLES:
        item = risk.feed.instruments[symbol]
        _TABLES[key] = parameter_table_from_bars(item.history)
    return _TABLES[key]


def parameters_out(parameters: RegimeParameters) -> RegimeParametersOut:
    values = asdict(parameters)
    values["regime"] = parameters.regime.name
    if (until := parameters.fitted_on_until) is not None and until.tzinfo is None:
        values["fitted_on_until"] = until.replace(tzinfo=SESSION_TZ)  # bar times: session-local
    return RegimeParametersOut(**values)


def risk_parameters(risk: RiskRuntime, symbol: str) -> RiskParametersOut:
    """Parameters in force on today's market date, per regime, and for the symbol's regime."""
    chosen = known_symbol(risk, symbol)
    table = parameter_table_of(risk, chosen)
    today = risk.market_time().astimezone(SESSION_TZ).date()
    moment = pd.Timestamp(today)
    per_regime = {regime: table.at(moment, regime) for regime in sorted(Regime)}
    regime = risk.trackers[chosen].reading.regime
    return RiskParametersOut(
        symbol=chosen,
        as_of=today,
        regime=regime.name,
        current=parameters_out(per_regime[regime]),
        per_regime=[parameters_out(p) for p in per_regime.values()],
    )
