"""The latest signal per symbol of a scenario, from the newest model trained before its days.

A model is used for a scenario only if its training data ended before the last completed day
the scenario has replayed: a model trained through 2018 would know how 2008 ended.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pandas as pd

from keel.domain.enums import Regime
from keel.models.artifact import load_model
from keel.models.features import build_features
from keel.models.hybrid import HybridModel
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


async def latest_signals(store: ObjectStore, live: LiveScenario) -> list[SignalOut]:
    """One signal per replayed symbol that has a usable model, computed at the last close."""
    feed = live.feed
    today = feed.market_date
    if today is None:
        return []
    found = await repository.list_metadata(store)
    signals = []
    for symbol, instrument in sorted(feed.instruments.items()):
        history = instrument.history
        past = history[history.index < pd.Timestamp(today)]
        if not instrument.replayed or len(past) < 300:
            continue
        chosen = usable_model(found, symbol, past.index[-1].date())
        if chosen is None:
            continue
        model = await _model(store, symbol, chosen["version"])
        features = build_features(past)
        row = features[list(model.feature_names)].to_numpy(float)[-1]
        regime = Regime(int(features["regime"].iloc[-1]))
        signal = model.signal(row, regime, timer=time.perf_counter)
        signals.append(
            SignalOut(
                symbol=symbol,
                scenario=live.id,
                model_version=chosen["version"],
                model_data_to=chosen["data_to"],
                as_of=past.index[-1].date().isoformat(),
                probability_up=signal.probability_up,
                confidence=signal.confidence,
                direction=signal.direction,
                regime=regime.name,
                votes=signal.votes,
                weights=signal.weights,
                top_features=[FeatureOut(feature=f, log_odds=v) for f, v in signal.top_features],
                used_quantum=signal.used_quantum,
                note=signal.note,
            )
        )
    return signals
