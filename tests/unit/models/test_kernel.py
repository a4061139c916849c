"""The quantum-kernel member: a fidelity kernel of circuit states, an SVC on it, reproducible."""

from __future__ import annotations

import pickle

import numpy as np

from keel.models.kernel import KernelConfig, QuantumKernelMember, fidelity_kernel


def _data(seed: int, rows: int = 300, width: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, width))
    labels = features[:, 0] + 0.5 * features[:, 1] + rng.normal(0, 0.3, rows) > 0
    return features, labels.astype(float)


def test_the_kernel_is_a_fidelity_of_normalised_states() -> None:
    features, labels = _data(1)
    member = QuantumKernelMember().fit(features, labels)
    states = member.states(features[:50])
    np.testing.assert_allclose(np.linalg.norm(states, axis=1), 1.0, atol=1e-12)
    gram = fidelity_kernel(states, states)
    np.testing.assert_allclose(np.diag(gram), 1.0, atol=1e-12)
    np.testing.assert_allclose(gram, gram.T, atol=1e-12)
    assert gram.min() >= 0 and gram.max() <= 1 + 1e-12
    assert np.ptp(gram[~np.eye(50, dtype=bool)]) > 0.3  # different days, different states


def test_scoring_on_support_vectors_is_the_svcs_own_decision() -> None:
    features, labels = _data(2)
    member = QuantumKernelMember().fit(features, labels)
    test = _data(3, 40)[0]
    full = fidelity_kernel(member.states(test), member.states(features))
    expected = member.svc.decision_function(full)
    platt = 1 / (1 + np.exp(-(member.slope * expected + member.intercept)))
    np.testing.assert_allclose(member.predict_up(test), platt, atol=1e-12)


def test_it_learns_reproducibly_and_survives_storing() -> None:
    features, labels = _data(4, 500, width=4)  # one feature per qubit: nothing lost to PCA
    train, test = slice(0, 400), slice(400, None)
    member = QuantumKernelMember(config=KernelConfig(max_train_days=400))
    member.fit(features[train], labels[train])
    again = QuantumKernelMember(config=KernelConfig(max_train_days=400))
    again.fit(features[train], labels[train])
    predicted = member.predict_up(features[test])
    np.testing.assert_array_equal(predicted, again.predict_up(features[test]))
    assert ((predicted >= 0.5) == (labels[test] == 1)).mean() >= 0.85
    loaded = pickle.loads(pickle.dumps(member))
    np.testing.assert_array_equal(loaded.predict_up(features[test]), predicted)
