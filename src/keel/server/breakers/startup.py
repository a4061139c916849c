"""Each scenario's risk runtime, attached after its feed and before its engine loop
(`keel.server.scenarios.launcher`), so breakers are judged before resting orders are matched on
each step.

Warm-up: every tradable daily symbol's estimators and classifier are fed the bars before the
replay's current day (its first, or where a restart resumed it), so the regime is already right on
that day (SPX enters September 2008 in HIGH). Each symbol's regime thresholds are calibrated on its
bars before the scenario's first day, its own past only (`keel.volatility.calibration.
thresholds_before`), so GOOG, livelier than SPX, is judged against its own storms, and a restart
keeps the same thresholds. The warmed state is built once per process and (seed, first day,
current day, series), then copied.

A process that mirrors a scenario (an API replica, or an engine that leaves it to another) gets
a `ReplicaRisk`: its market and symbol breakers mirror those of the engine that runs it
(`keel.server.mirror`), it is never fed steps, and admin actions go to that engine.
"""

from __future__ import annotations

import asyncio
import copy
from datetime import date

import pandas as pd

from keel.risk import Scope
from keel.server.breakers import repository
from keel.server.breakers.component import RiskRuntime, build_risk
from keel.server.engine_commands import EngineForwarder, ReplicaRisk
from keel.server.market.feed import MarketFeed
from keel.server.pubsub import get_pubsub
from keel.server.roles import ALL, spreads_scenarios
from keel.server.runtime import Runtime
from keel.server.scenarios.live import LiveScenario
from keel.server.scenarios.models import DEFAULT_SCENARIO_ID
from keel.server.volatility.tracker import SymbolVolatility
from keel.volatility.calibration import thresholds_before
from keel.volatility.regimes import HysteresisConfig, ThresholdRegimeClassifier

_WARMED: dict[tuple[int, date, date, tuple[tuple[str, str], ...]], dict[str, SymbolVolatility]] = {}


def daily_symbols(feed: MarketFeed) -> list[str]:
    """Tradable symbols with daily bars (those the replay quotes)."""
    return sorted(s for s in feed.instruments if feed.is_tradable(s))


def warm_trackers(feed: MarketFeed) -> dict[str, SymbolVolatility]:
    """A tracker per replayed symbol, fed every bar before the replay's current day (its first
    day, unless a restart resumed the scenario later)."""
    if not feed.calendar:
        return {}
    first_day = feed.market_date or feed.calendar[-1]
    scenario_start = pd.Timestamp(feed.calendar[0])
    # The series too: two scenarios starting on one day may trade other symbols, or other data.
    series = tuple((s, feed.instruments[s].info.source) for s in daily_symbols(feed))
    key = (feed.seed, feed.calendar[0], first_day, series)
    if key not in _WARMED:
        trackers: dict[str, SymbolVolatility] = {}
        for symbol in daily_symbols(feed):
            item = feed.instruments[symbol]
            history = item.history[item.history.index < pd.Timestamp(first_day)]
            calibrated = thresholds_before(history["Close"], scenario_start)
            classifier = ThresholdRegimeClassifier(HysteresisConfig(calibrated.thresholds))
            tracker = SymbolVolatility(symbol, classifier=classifier, calibration=calibrated)
            tracker.warm_up(history)
            trackers[symbol] = tracker
        _WARMED[key] = trackers
    return copy.deepcopy(_WARMED[key])


def get_risk(runtime: Runtime) -> RiskRuntime:
    """The default scenario's risk runtime."""
    return risk_of(runtime.scenarios[DEFAULT_SCENARIO_ID])


def risk_of(live: LiveScenario) -> RiskRuntime:
    """A live scenario's risk runtime (every scenario has one once started)."""
    if live.risk is None:
        raise RuntimeError(f"scenario {live.id} has no risk runtime yet")
    return live.risk


async def attach_risk(runtime: Runtime, live: LiveScenario) -> RiskRuntime:
    """Build the scenario's risk runtime (warmed-up regimes, breakers) and feed it its steps."""
    feed = live.feed
    trackers = await asyncio.to_thread(warm_trackers, feed)
    risk = build_risk(runtime, feed, trackers, live.breaker_mode)
    default = live.id == DEFAULT_SCENARIO_ID
    if live.mirrored:
        forwarder = EngineForwarder(get_pubsub(runtime), scenario_id=live.id)
        replica = ReplicaRisk(runtime, feed, trackers, risk.board, forwarder=forwarder)
        replica.set_mode(risk.mode)
        live.risk = replica
        return replica
    risk.prime()
    live.risk = risk
    # The one leading engine carries the default scenario's halts over from its last published
    # state (`keel.server.mirror`); everywhere else they come from the stored transitions.
    settings = runtime.settings
    if settings.role == ALL or not default or spreads_scenarios(settings):
        await keep_halts(runtime, risk)
    # The feed already took its first step when it started: judge those quotes too.
    await risk.on_step(list(feed.latest_quotes().values()))
    feed.add_step_listener(risk.on_step)
    feed.add_stall_listener(risk.on_feed_stalled)
    return risk


async def keep_halts(runtime: Runtime, risk: RiskRuntime) -> None:
    """Halt again what an admin halted before this process started and nobody resumed: a restart
    must not reopen a market an admin closed."""
    async with runtime.sessionmaker() as session:
        halts = await repository.standing_halts(session, risk.feed.scenario_id)
    for row in halts:
        symbol = None if row.scope == Scope.MARKET.value else row.scope_key
        await risk.halt_again(
            symbol, by="restart", reason=f"halt kept over a restart: {row.reason}"
        )
