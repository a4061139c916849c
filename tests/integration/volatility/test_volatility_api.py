"""Volatility through the API: warmed-up figures equal the batch estimators on the same history,
regime changes are stored, and the optimizer's parameters are walk-forward."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from httpx import AsyncClient

from keel.domain.enums import Regime
from keel.risk import parameter_table_from_bars
from keel.server.market.component import get_feed
from keel.server.runtime import Runtime
from keel.volatility.calibration import classify_history, thresholds_before
from keel.volatility.estimators import (
    close_to_close_vol,
    ewma_vol,
    parkinson_vol,
    yang_zhang_vol,
)
from keel.volatility.regimes import DEFAULT_THRESHOLDS, HysteresisConfig, ThresholdRegimeClassifier
from tests.integration.breakers.factories import replay

FIRST_DAY = date(2008, 9, 2)
PROBLEM = "/problems/"


def history_before(runtime: Runtime, symbol: str, day: date) -> pd.DataFrame:
    frame = get_feed(runtime).instruments[symbol].history
    return frame[frame.index < pd.Timestamp(day)]


async def test_every_live_symbol_is_tracked(client: AsyncClient, runtime: Runtime) -> None:
    response = await client.get("/api/v1/volatility")
    assert response.status_code == 200, response.text
    feed = get_feed(runtime)
    shown = {item["symbol"]: item for item in response.json()}
    assert set(shown) == {s for s in feed.instruments if feed.is_tradable(s)}
    assert "VIX" not in shown and "EURUSD" not in shown  # reference and hourly series
    for item in shown.values():
        assert item["regime"] in Regime.__members__
        assert 0.0 <= item["confidence"] <= 1.0
        assert item["as_of"] == "2008-08-29"  # the last bar before the replay's first day
        # Every symbol gets GARCH, INIT's integrated fit (α + β = 1) included.
        assert item["garch"] is not None and item["estimators"]["garch_11_forecast"] > 0
    integrated = shown["INIT"]["garch"]
    assert integrated["alpha"] + integrated["beta"] == pytest.approx(1.0, abs=1e-9)
    assert integrated["sample_variance"] > 0


@pytest.mark.parametrize("symbol", ["SPX", "GOOG", "ACME"])
async def test_warmed_up_figures_equal_the_batch_computation(
    client: AsyncClient, runtime: Runtime, symbol: str
) -> None:
    response = await client.get(f"/api/v1/volatility/{symbol.lower()}")
    assert response.status_code == 200, response.text
    body = response.json()
    bars = history_before(runtime, symbol, FIRST_DAY)
    o, h, lo, c = (bars[column].to_numpy(float) for column in ("Open", "High", "Low", "Close"))
    estimators = body["estimators"]
    assert estimators["ewma_094"] == pytest.approx(ewma_vol(c)[-1], abs=1e-10)
    assert estimators["close_to_close_21d"] == pytest.approx(close_to_close_vol(c)[-1], abs=1e-10)
    assert estimators["parkinson_21d"] == pytest.approx(parkinson_vol(h, lo)[-1], abs=1e-10)
    assert estimators["yang_zhang_21d"] == pytest.approx(yang_zhang_vol(o, h, lo, c)[-1], abs=1e-10)
    # Each symbol's thresholds come from its own bars before the replay's start (issue 8).
    own = thresholds_before(bars["Close"], pd.Timestamp(FIRST_DAY))
    assert own.own and own.thresholds != DEFAULT_THRESHOLDS
    classifier = ThresholdRegimeClassifier(HysteresisConfig(own.thresholds))
    labels, readings = classify_history(bars, classifier)
    assert body["regime"] == Regime(int(labels.iloc[-1])).name
    figures = body["deciding_figures"]
    shown = (figures["threshold_normal"], figures["threshold_high"], figures["threshold_extreme"])
    assert shown == own.thresholds
    assert body["deciding_figures"]["ewma_vol"] == pytest.approx(readings[-1].figures["ewma_vol"])
    assert body["reason"] == readings[-1].reason
    garch = body["garch"]
    assert 0 < garch["alpha"] < 1 and 0 < garch["beta"] < 1 and garch["alpha"] + garch["beta"] < 1


async def test_spx_enters_the_replay_in_a_high_regime(client: AsyncClient) -> None:
    body = (await client.get("/api/v1/volatility/SPX")).json()
    assert body["regime"] == "HIGH"
    assert body["breaker_level"] == "CAUTIOUS"


@pytest.mark.parametrize("symbol", ["NOPE", "VIX"])
async def test_unknown_or_reference_symbols_are_404(client: AsyncClient, symbol: str) -> None:
    response = await client.get(f"/api/v1/volatility/{symbol}")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEM + "unknown-symbol"


async def test_regime_changes_are_stored_as_the_replay_runs(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        feed = get_feed(run.runtime)
        await run.step_until(lambda risk: risk.trackers["SPX"].reading.regime is Regime.EXTREME)
        body = (await run.client.get("/api/v1/volatility/SPX")).json()
        assert body["regime"] == "EXTREME" and body["breaker_level"] == "RESTRICTED"
        assert date.fromisoformat(body["as_of"]) < date(2008, 10, 1)
        history = (await run.client.get("/api/v1/volatility/SPX/history")).json()
        latest, first = history[0], history[-1]
        assert (latest["from_regime"], latest["to_regime"]) == ("HIGH", "EXTREME")
        assert latest["at"].startswith(body["as_of"])
        assert latest["figures"]["ewma_vol"] >= latest["figures"]["threshold_extreme"] or (
            latest["figures"]["fast_vol"] >= 0.30
        )
        assert (first["from_regime"], first["to_regime"]) == (None, "HIGH")
        assert feed.market_date is not None and feed.market_date > FIRST_DAY


async def test_risk_parameters_are_walk_forward(client: AsyncClient, runtime: Runtime) -> None:
    response = await client.get("/api/v1/risk/parameters", params={"symbol": "spx"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["as_of"] == FIRST_DAY.isoformat() and body["regime"] == "HIGH"
    per_regime = {p["regime"]: p for p in body["per_regime"]}
    assert list(per_regime) == ["LOW", "NORMAL", "HIGH", "EXTREME"]
    assert body["current"] == per_regime["HIGH"]
    multipliers = [per_regime[r]["size_multiplier"] for r in per_regime]
    assert multipliers[3] < multipliers[2] < multipliers[1] <= multipliers[0]
    for parameters in per_regime.values():
        assert date.fromisoformat(parameters["fitted_on_until"][:10]) < FIRST_DAY
    # Fitted on history cut before the replay's first day, the table says the same.
    cut = parameter_table_from_bars(history_before(runtime, "SPX", FIRST_DAY))
    for regime in Regime:
        expected = cut.current_parameters(regime)
        assert per_regime[regime.name]["size_multiplier"] == pytest.approx(expected.size_multiplier)
        assert per_regime[regime.name]["lookback_days"] == expected.lookback_days
    missing = await client.get("/api/v1/risk/parameters", params={"symbol": "NOPE"})
    assert missing.status_code == 404
