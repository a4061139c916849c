"""A quantum-kernel classifier: a support vector machine on the fidelity of circuit states.

Each day's features are standardised, reduced to one component per qubit (PCA) and squeezed by
arctan into angles, as for the variational circuit, then halved (the kernel's bandwidth). A
fixed feature-map circuit turns the angles
into a 4-qubit state |φ(x)⟩ (an IQP-style map: Hadamards, RZ(angle) on each qubit, RZZ(angle ×
angle) on each neighbouring pair of the ring, twice), computed by PennyLane's statevector
simulator for a whole batch of days in one call. The kernel is the states' fidelity,
k(x, y) = |⟨φ(x)|φ(y)⟩|², and scikit-learn's SVC learns on it (`kernel="precomputed"`).

Probabilities are Platt-calibrated as the boosted trees' are: the SVC is fitted on the first
three quarters of the window, the calibration on its scores for the last quarter, then the SVC
again on the whole window. An SVC's fit grows with the square of its days, so it trains on the
last `max_train_days` labelled days of its window (1,500: about six years). Nothing here is
random: the same data give the same probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pennylane as qml
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from keel.models.members import one_thread

DEVICE = "default.qubit"


@dataclass(frozen=True)
class KernelConfig:
    """Feature-map shape, SVC regularisation and the most days one fit sees."""

    qubits: int = 4
    repetitions: int = 2
    bandwidth: float = 0.5
    """Angles are multiplied by this: smaller keeps the states of different days from being
    nearly orthogonal, which lets the SVC generalise instead of memorising (the quantum
    kernel's bandwidth, Shaydulin & Wild 2022)."""
    regularisation: float = 1.0
    max_train_days: int = 1500


def build_feature_map(qubits: int, repetitions: int) -> Any:
    """The feature map as a QNode: angles[..., qubits] → the state's 2ⁿ amplitudes."""
    device = qml.device(DEVICE, wires=qubits)

    @qml.qnode(device, interface="numpy", diff_method=None)  # type: ignore[untyped-decorator]
    def feature_map(angles: Any) -> Any:
        for _ in range(repetitions):
            for wire in range(qubits):
                qml.Hadamard(wires=wire)
                qml.RZ(angles[..., wire], wires=wire)
            for wire in range(qubits):
                other = (wire + 1) % qubits
                qml.IsingZZ(angles[..., wire] * angles[..., other], wires=[wire, other])
        return qml.state()

    return feature_map


def fidelity_kernel(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """|⟨a|b⟩|² for every pair of rows of two state matrices [rows, 2ⁿ]."""
    return np.asarray(np.abs(left.conj() @ right.T) ** 2)


class QuantumKernelMember:
    """SVC on the fidelity kernel of a fixed feature-map circuit (see the module doc)."""

    name = "quantum-kernel"
    calibration_share = 0.25

    def __init__(self, seed: int = 0, config: KernelConfig | None = None) -> None:
        self.seed = seed  # nothing is random; kept for the members' common signature
        self.config = config or KernelConfig()
        self.scaler = StandardScaler()
        self.reducer = PCA(n_components=self.config.qubits, svd_solver="full")
        self.feature_map = build_feature_map(self.config.qubits, self.config.repetitions)
        self.support_states = np.zeros((0, 2**self.config.qubits), dtype=complex)
        self.svc = self._svc()
        self.slope, self.intercept = 1.0, 0.0

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["feature_map"]  # a closure over a device: rebuilt when loaded
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.feature_map = build_feature_map(self.config.qubits, self.config.repetitions)

    def _svc(self) -> SVC:
        return SVC(kernel="precomputed", C=self.config.regularisation)

    def states(self, features: np.ndarray) -> np.ndarray:
        """|φ(x)⟩ for each row, from the fitted scaler and PCA (one simulator call)."""
        reduced = self.reducer.transform(self.scaler.transform(features))
        spread = np.sqrt(self.reducer.explained_variance_)
        angles = self.config.bandwidth * np.arctan(reduced / spread)
        return np.atleast_2d(np.asarray(self.feature_map(angles), dtype=complex))

    @one_thread
    def fit(self, features: np.ndarray, labels: np.ndarray) -> QuantumKernelMember:
        features = features[-self.config.max_train_days :]
        labels = labels[-self.config.max_train_days :].astype(int)
        self.scaler.fit(features)
        self.reducer.fit(self.scaler.transform(features))
        states = self.states(features)
        gram = fidelity_kernel(states, states)
        split = int(len(labels) * (1 - self.calibration_share))
        early = self._svc().fit(gram[:split, :split], labels[:split])
        scores = early.decision_function(gram[split:, :split]).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(scores, labels[split:])
        self.slope, self.intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        self.svc = self._svc().fit(gram, labels)
        # Only the support vectors' states are needed to score new days.
        self.support_states = states[self.svc.support_]
        return self

    @one_thread
    def predict_up(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0)
        kernel = fidelity_kernel(self.states(features), self.support_states)
        scores = kernel @ self.svc.dual_coef_[0] + self.svc.intercept_[0]
        return np.asarray(1.0 / (1.0 + np.exp(-(self.slope * scores + self.intercept))))
