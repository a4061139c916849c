"""`GET /api/v1/models`: the models `keel train` stores, with their scorecards."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from keel.models.artifact import Artifact, dump_model, load_model
from keel.server.model_registry.repository import model_keys, save_model
from keel.server.objectstore import get_object_store
from keel.server.runtime import Runtime
from tests.integration.auth.factories import create_user
from tests.integration.breakers.factories import create_admin
from tests.integration.flags.test_flags_api import move
from tests.integration.model_registry.factories import small_artifact

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def artifact() -> Artifact:
    return small_artifact()


async def test_no_model_stored_lists_none(client: AsyncClient) -> None:
    response = await client.get("/api/v1/models")
    assert response.status_code == 200
    assert response.json() == []


async def test_a_stored_model_is_listed_with_its_scorecard(
    client: AsyncClient, runtime: Runtime, artifact: Artifact
) -> None:
    store = get_object_store(runtime)
    version = artifact.version
    await save_model(store, "SPX", version, dump_model(artifact.model), artifact.metadata)

    listed = (await client.get("/api/v1/models")).json()
    assert [(m["symbol"], m["version"]) for m in listed] == [("SPX", version)]
    model = listed[0]
    assert (model["data_from"], model["data_to"]) == ("1999-01-04", "2003-12-31")
    assert model["seed"] == 0 and model["parameters"]["circuit"]["steps"] == 3
    card = model["scorecard"]
    assert card["scored_days"] == 251
    hybrid = card["models"]["hybrid"]["overall"]
    assert hybrid["days"] == 251 and 0 <= hybrid["accuracy_pct"] <= 100
    assert card["models"]["hybrid"]["regimes"]["EXTREME"]["status"] == "insufficient data"

    assert (await client.get("/api/v1/models", params={"symbol": "spx"})).json() == listed
    assert (await client.get("/api/v1/models", params={"symbol": "GOOG"})).json() == []
    # The stored bytes are the model itself.
    model_key, _ = model_keys("SPX", version)
    loaded = load_model(await store.get(model_key))
    assert loaded.feature_names == artifact.model.feature_names


async def test_a_symbol_that_cannot_be_one_is_refused(client: AsyncClient) -> None:
    response = await client.get("/api/v1/models", params={"symbol": "../x"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_signals_come_from_a_model_trained_before_the_market_date(
    client: AsyncClient, runtime: Runtime, artifact: Artifact
) -> None:
    # Signals are a beta feature (the model-signals flag): a beta user asks.
    admin, beta = await create_admin(client, runtime), await create_user(client)
    await move(client, admin, beta, "beta")
    assert (await client.get("/api/v1/signals", headers=beta.headers)).json() == []  # no model
    store = get_object_store(runtime)
    await save_model(store, "SPX", artifact.version, dump_model(artifact.model), artifact.metadata)

    answer = await client.get(
        "/api/v1/signals", params={"scenario": "default"}, headers=beta.headers
    )
    signals = answer.json()
    assert [s["symbol"] for s in signals] == ["SPX"]  # IXIC and GOOG have no model
    signal = signals[0]
    # The default scenario replays from 2008-09-01: the last completed day is 2008-08-29.
    assert signal["as_of"] == "2008-08-29"
    assert signal["model_version"] == artifact.version and signal["model_data_to"] == "2003-12-31"
    assert 0 < signal["probability_up"] < 1
    assert signal["confidence"] == max(signal["probability_up"], 1 - signal["probability_up"])
    assert signal["direction"] == ("up" if signal["probability_up"] >= 0.5 else "down")
    assert signal["regime"] in {"LOW", "NORMAL", "HIGH", "EXTREME"}
    assert set(signal["votes"]) >= {"logistic", "boosting"}
    assert len(signal["top_features"]) == 3


def test_a_model_that_saw_the_market_date_is_never_used() -> None:
    from datetime import date

    from keel.server.model_registry.signals import usable_model

    found = [
        {"symbol": "SPX", "data_to": "2003-12-31", "version": "a"},
        {"symbol": "SPX", "data_to": "2008-08-28", "version": "b"},
        {"symbol": "SPX", "data_to": "2018-12-31", "version": "c"},
        {"symbol": "IXIC", "data_to": "2008-01-02", "version": "d"},
    ]
    assert usable_model(found, "SPX", date(2008, 8, 29))["version"] == "b"
    assert usable_model(found, "SPX", date(2008, 8, 28))["version"] == "a"
    assert usable_model(found, "SPX", date(2003, 12, 31)) is None
    assert usable_model(found, "GOOG", date(2010, 1, 4)) is None
