"""The variational circuit: exact gradients, it learns a separable set, it is reproducible."""

from __future__ import annotations

import pickle

import numpy as np
import pennylane as qml
from pennylane import numpy as pnp

from keel.models.circuit import CircuitConfig, CompiledCircuit, QuantumMember, build_qnode

QUBITS, LAYERS = 4, 2


def _point(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-np.pi, np.pi, (LAYERS, QUBITS, 3)), rng.uniform(-np.pi, np.pi, QUBITS)


def _finite_difference(weights: np.ndarray, angles: np.ndarray, step: float = 1e-6) -> np.ndarray:
    plain = build_qnode(QUBITS, LAYERS, diff_method=None)
    gradient = np.zeros_like(weights)
    for position in np.ndindex(weights.shape):
        up, down = weights.copy(), weights.copy()
        up[position] += step
        down[position] -= step
        gradient[position] = (float(plain(up, angles)) - float(plain(down, angles))) / (2 * step)
    return gradient


def test_gradients_match_finite_differences() -> None:
    for seed in (1, 2):
        weights, angles = _point(seed)
        expected = _finite_difference(weights, angles)
        for method in ("backprop", "parameter-shift"):
            qnode = build_qnode(QUBITS, LAYERS, diff_method=method)
            gradient = qml.grad(qnode, argnums=0)(pnp.array(weights, requires_grad=True), angles)
            np.testing.assert_allclose(gradient, expected, atol=1e-8, err_msg=method)
        assert np.abs(expected).max() > 0.05  # a real gradient, not a flat spot


def test_the_circuit_alone_learns_a_separable_toy_set() -> None:
    rng = np.random.default_rng(11)
    features = rng.normal(size=(400, 4))
    margin = features[:, 0] + 0.5 * features[:, 1]
    keep = np.abs(margin) > 0.3  # a clear gap between the classes
    features, labels = features[keep], (margin[keep] > 0).astype(float)
    train, test = slice(0, 200), slice(200, None)
    member = QuantumMember(seed=3, config=CircuitConfig(steps=60, batch=64, learning_rate=0.1))
    member.fit(features[train], labels[train])
    accuracy = float(((member.predict_up(features[test]) >= 0.5) == labels[test]).mean())
    assert accuracy >= 0.95, accuracy
    assert member.losses[-1] < member.losses[0]


def test_same_seed_same_probabilities_other_seed_others() -> None:
    rng = np.random.default_rng(5)
    features, labels = rng.normal(size=(120, 6)), (rng.random(120) > 0.5).astype(float)
    config = CircuitConfig(steps=5, batch=32)
    first = QuantumMember(seed=7, config=config).fit(features, labels).predict_up(features)
    again = QuantumMember(seed=7, config=config).fit(features, labels).predict_up(features)
    other = QuantumMember(seed=8, config=config).fit(features, labels).predict_up(features)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_lightning_simulator_gives_the_same_expectation() -> None:
    weights, angles = _point(4)
    ours = float(build_qnode(QUBITS, LAYERS, diff_method=None)(weights, angles))
    device = qml.device("lightning.qubit", wires=QUBITS)
    qnode = build_qnode(QUBITS, LAYERS, diff_method=None)
    lightning = qml.QNode(qnode.func, device)
    assert abs(float(lightning(weights, angles)) - ours) < 1e-10


def test_the_compiled_circuit_serves_what_the_qnode_computes() -> None:
    for seed in (4, 5, 6):
        weights, _ = _point(seed)
        angles = np.random.default_rng(seed).uniform(-np.pi / 2, np.pi / 2, (64, QUBITS))
        qnode = build_qnode(QUBITS, LAYERS, diff_method=None)
        expected = np.asarray(qnode(weights, angles), dtype=float)
        compiled = CompiledCircuit(QUBITS, weights)
        np.testing.assert_allclose(compiled.expectation(angles), expected, atol=1e-12)
        one = compiled.expectation(angles[:1])  # one day, as a signal asks
        np.testing.assert_allclose(one, expected[:1], atol=1e-12)
        assert np.ptp(expected) > 0.1  # the angles matter


def test_a_loaded_member_predicts_what_the_trained_one_did() -> None:
    rng = np.random.default_rng(9)
    features, labels = rng.normal(size=(120, 6)), (rng.random(120) > 0.5).astype(float)
    member = QuantumMember(seed=1, config=CircuitConfig(steps=5, batch=32)).fit(features, labels)
    loaded = pickle.loads(pickle.dumps(member))
    np.testing.assert_array_equal(loaded.predict_up(features), member.predict_up(features))
    through_qnode = 1 / (1 + np.exp(-(
        member.readout[0] * np.asarray(member.qnode(member.weights, member.angles(features)))
        + member.readout[1]
    )))  # fmt: skip
    np.testing.assert_allclose(member.predict_up(features), through_qnode, atol=1e-12)


def test_the_drawing_shows_the_embedding_rotations_and_entanglers() -> None:
    member = QuantumMember(seed=0, config=CircuitConfig(steps=1, batch=8))
    rng = np.random.default_rng(0)
    member.fit(rng.normal(size=(40, 5)), (rng.random(40) > 0.5).astype(float))
    drawing = member.draw()
    assert drawing.count("RY") == 4 * 3 and drawing.count("Rot") == 4 * 3
    assert "╭●" in drawing and "<Z>" in drawing
