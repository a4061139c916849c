"""The latest signal per symbol of a scenario, from the newest model trained before its days.

A model is used for a scenario only if its training data ended before the last completed day
the scenario has replayed: a model trained through 2018 would know how 2008 ended.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from keel.domain.enums import Regime
from keel.models.artifact import load_model
from keel.models.features import build_features
from keel.models.hybrid import HybridModel, Signal
from keel.server.model_registry import repository
from keel.server.model_registry.schemas import FeatureOut, SignalOut
from keel.server.objectstore import ObjectStore
from keel.server.scenarios.live import LiveScenario

_LOADED: dict[tuple[str, str], HybridModel] = {}
"""Models by (symbol, version): a version names fixed content, so it never goes stale."""


def usable_model(found: list[dict[str, Any]], symbol: str, before: date) -> dict[str, Any] | None:
    """The metadata of `symbol`'s model with the latest data that all ended before `before`."""
    fitting = [
        m for m in found if m["symbol"] == symbol and date.fromisoformat(m["data_to"]) < before
    ]
    return max(fitting, key=lambda m: (m["data_to"], m["version"]), default=None)


async def _model(store: ObjectStore, symbol: str, version: str) -> HybridModel:
    key = (symbol, version)
    if key not in _LOADED:
        _LOADED[key] = load_model(await repository.load_model_bytes(store, symbol, version))
    return _LOADED[key]


@dataclass(frozen=True)
class ServedSignal:
    """One symbol's signal at the last close: from which model, for which day, on which bars."""

    symbol: str
    model_version: str
    model_data_to: str
    as_of: date
    signal: Signal
    past: pd.DataFrame
    """The bars the signal was computed from (every completed day before the market date)."""


async def serve_signal(
    store: ObjectStore, live: LiveScenario, symbol: str, found: list[dict[str, Any]]
) -> ServedSignal | None:
    """`symbol`'s signal at the scenario's last close from the newest usable model among
    `found` (stored metadata); None without a model, enough history or a market date."""
    feed = live.feed
    today = feed.market_date
    instrument = feed.instruments.get(symbol)
    if today is None or instrument is None or not instrument.replayed:
        return None
    history = instrument.history
    past = history[history.index < pd.Timestamp(today)]
    if len(past) < 300:
        return None
    as_of = past.index[-1].date()
    chosen = usable_model(found, symbol, as_of)
    if chosen is None:
        return None
    model = await _model(store, symbol, chosen["version"])
    features = build_features(past)
    row = features[list(model.feature_names)].to_numpy(float)[-1]
    regime = Regime(int(features["regime"].iloc[-1]))
    # The circuit's own CPU time: a call the scheduler interrupts is not the circuit's cost.
    signal = model.signal(row, regime, timer=time.thread_time)
    return ServedSignal(symbol, chosen["version"], chosen["data_to"], as_of, signal, past)


async def latest_signals(store: ObjectStore, live: LiveScenario) -> list[SignalOut]:
    """One signal per replayed symbol that has a usable model, computed at the last close."""
    found = await repository.list_metadata(store)
    signals = []
    for symbol in sorted(live.feed.instruments):
        served = await serve_signal(store, live, symbol, found)
        if served is None:
            continue
        signal = served.signal
        signals.append(
            SignalOut(
                symbol=symbol,
                scenario=live.id,
                model_version=served.model_version,
                model_data_to=served.model_data_to,
                as_of=served.as_of.isoformat(),
                probability_up=signal.probability_up,
                confidence=signal.confidence,
                direction=signal.direction,
                regime=signal.regime.name,
                votes=signal.votes,
                weights=signal.weights,
                top_features=[FeatureOut(feature=f, log_odds=v) for f, v in signal.top_features],
                used_quantum=signal.used_quantum,
                note=signal.note,
            )
        )
    return signals
