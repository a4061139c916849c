"""The serving path computes what the fitted objects compute (to 1e-12), one day at a time."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from keel.domain.enums import Regime
from keel.models.circuit import CircuitConfig, QuantumMember
from keel.models.hybrid import HybridModel, Stacker
from keel.models.members import BoostingMember, LogisticMember
from keel.models.serving import predictor, stacker_form


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    features = rng.normal(size=(600, 8)) * rng.uniform(0.01, 50, 8) + rng.normal(size=8)
    labels = (features[:, 0] / 50 + rng.normal(size=600) > 0).astype(float)
    features[rng.random(features.shape) < 0.03] = np.nan  # boosting learns where missing goes
    return features, labels


@pytest.fixture(scope="module")
def members(data: tuple[np.ndarray, np.ndarray]) -> dict[str, object]:
    features, labels = data
    clean = np.nan_to_num(features)
    return {
        "logistic": LogisticMember().fit(clean, labels),
        "boosting": BoostingMember(seed=1).fit(features, labels),
        "quantum": QuantumMember(seed=2, config=CircuitConfig(steps=3, batch=32)).fit(
            clean, labels
        ),
    }


@pytest.mark.parametrize("name", ["logistic", "boosting", "quantum"])
def test_each_member_serves_its_own_prediction(
    name: str, members: dict[str, object], data: tuple[np.ndarray, np.ndarray]
) -> None:
    member = members[name]
    rows = data[0] if name == "boosting" else np.nan_to_num(data[0])
    expected = member.predict_up(rows)  # type: ignore[attr-defined]
    served = predictor(member)  # type: ignore[arg-type]
    got = np.array([served(row) for row in rows])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert np.ptp(expected) > 0.01  # the rows get different answers


def test_stackers_and_signals_serve_what_the_objects_give(
    members: dict[str, object], data: tuple[np.ndarray, np.ndarray]
) -> None:
    rng = np.random.default_rng(4)
    names = ("logistic", "boosting", "quantum")
    votes = rng.uniform(0.2, 0.8, (400, 3))
    regimes = rng.choice([1, 2, 3], 400).astype(float)
    labels = (votes[:, 2] + rng.normal(0, 0.1, 400) > 0.5).astype(float)
    stacker = Stacker(names, min_regime_days=100).fit(votes, regimes, labels)
    classical = Stacker(names[:2], min_regime_days=100).fit(votes[:, :2], regimes, labels)
    form = stacker_form(stacker)
    for regime in Regime:
        row = votes[:5]
        expected = stacker.predict_up(row, np.full(5, int(regime)))
        got = [form(dict(zip(names, v, strict=True)), regime) for v in row]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)

    model = HybridModel(members, stacker, classical, [f"f{i}" for i in range(8)])  # type: ignore[arg-type]
    row = np.nan_to_num(data[0][10])
    signal = model.signal(row, Regime.HIGH)
    by_objects = {n: float(members[n].predict_up(row.reshape(1, -1))[0]) for n in names}  # type: ignore[attr-defined]
    assert signal.votes == pytest.approx(by_objects, abs=1e-12)
    inputs = np.array([[by_objects[n] for n in names]])
    expected = stacker.predict_up(inputs, np.array([int(Regime.HIGH)]))[0]
    assert signal.probability_up == pytest.approx(expected, abs=1e-12)
    # A stored model is stored without its serving form and serves the same after loading.
    loaded = pickle.loads(pickle.dumps(model))
    assert loaded.served is None
    assert loaded.signal(row, Regime.HIGH).probability_up == signal.probability_up
