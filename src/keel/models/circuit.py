"""The variational quantum classifier: a real circuit on PennyLane's statevector simulator.

Features are standardised and reduced to one component per qubit (PCA), squeezed by arctan into
(−π/2, π/2) (wider angles would wrap: RY(π) and RY(−π) prepare the same state) and *re-uploaded*
in every layer: RY(angle) on each qubit, then a trainable general
rotation Rot(φ, θ, ω) on each qubit and a ring of CNOTs. The readout is ⟨Z⟩ on qubit 0, turned
into P(up) = sigmoid(scale · ⟨Z⟩ + bias) with a trainable scale and bias.

Training minimises the log loss with Adam on seeded mini-batches. Gradients are exact: the
simulator's backpropagation through the statevector (a test checks them against the
parameter-shift rule and finite differences). `default.qubit` evaluates a whole batch of days in
one call (parameter broadcasting). PennyLane's own `seed=` is not needed: the simulator is exact
(no shots), and everything random here (initial weights, batches) comes from our seeded
generator.

**Serving.** Once trained, the circuit's trainable part is fixed: each layer's rotations and CNOT
ring are one 2ⁿ × 2ⁿ unitary, computed once by PennyLane (`qml.matrix`) in `CompiledCircuit`.
A prediction then applies each layer's data rotations RY(angle) to the 16 amplitudes and the
layer's unitary, in NumPy: the same statevector arithmetic (a test checks it against the QNode
to 1e-12), without PennyLane's per-call tape construction and dispatch, which made one day's
prediction cost 6 ms of CPU instead of ~0.05 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pennylane as qml
from pennylane import numpy as pnp
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from keel.models.members import one_thread

DEVICE = "default.qubit"


@dataclass(frozen=True)
class CircuitConfig:
    """Shape and training of the circuit; `steps` Adam steps on batches of `batch` days."""

    qubits: int = 4
    layers: int = 3
    steps: int = 80
    batch: int = 256
    learning_rate: float = 0.05


def build_qnode(qubits: int, layers: int, diff_method: str | None = "backprop") -> Any:
    """The circuit as a PennyLane QNode: (weights[layers, qubits, 3], angles[..., qubits]) → ⟨Z₀⟩."""
    device = qml.device(DEVICE, wires=qubits)

    @qml.qnode(device, interface="autograd", diff_method=diff_method)  # type: ignore[untyped-decorator]
    def circuit(weights: Any, angles: Any) -> Any:
        for layer in range(layers):
            for wire in range(qubits):
                qml.RY(angles[..., wire], wires=wire)
            for wire in range(qubits):
                qml.Rot(
                    weights[layer, wire, 0],
                    weights[layer, wire, 1],
                    weights[layer, wire, 2],
                    wires=wire,
                )
            for wire in range(qubits):
                qml.CNOT(wires=[wire, (wire + 1) % qubits])
        return qml.expval(qml.PauliZ(0))

    return circuit


def _trainable_layer(weights: np.ndarray, qubits: int) -> None:
    """One layer's fixed part: Rot(φ, θ, ω) on each qubit, then the ring of CNOTs."""
    for wire in range(qubits):
        qml.Rot(weights[wire, 0], weights[wire, 1], weights[wire, 2], wires=wire)
    for wire in range(qubits):
        qml.CNOT(wires=[wire, (wire + 1) % qubits])


class CompiledCircuit:
    """The trained circuit for serving: per layer, the unitary of its fixed part (from
    PennyLane, wire 0 the most significant), and the data rotations applied in NumPy."""

    def __init__(self, qubits: int, weights: np.ndarray) -> None:
        self.qubits = qubits
        order = list(range(qubits))
        self.unitaries = [
            np.asarray(qml.matrix(_trainable_layer, wire_order=order)(layer, qubits))
            for layer in np.asarray(weights, dtype=float)
        ]
        # ⟨Z⟩ on qubit 0: +1 for the basis states whose first bit is 0, −1 for the others.
        half = 2 ** (qubits - 1)
        self.z0 = np.concatenate([np.ones(half), -np.ones(half)])

    def expectation(self, angles: np.ndarray) -> np.ndarray:
        """⟨Z₀⟩ for each row of `angles` [rows, qubits] (radians)."""
        rows, qubits = len(angles), self.qubits
        shape = (rows,) + (2,) * qubits
        state = np.zeros((rows, 2**qubits), dtype=complex)
        state[:, 0] = 1.0
        cos, sin = np.cos(angles / 2), np.sin(angles / 2)
        for unitary in self.unitaries:
            amplitudes = state.reshape(shape)
            for wire in range(qubits):
                # RY(a) = [[cos a/2, −sin a/2], [sin a/2, cos a/2]] on `wire`'s axis.
                c = cos[:, wire].reshape((rows,) + (1,) * (qubits - 1))
                s = sin[:, wire].reshape((rows,) + (1,) * (qubits - 1))
                zero = np.take(amplitudes, 0, axis=wire + 1)
                one = np.take(amplitudes, 1, axis=wire + 1)
                amplitudes = np.stack([c * zero - s * one, s * zero + c * one], axis=wire + 1)
            state = amplitudes.reshape(rows, -1) @ unitary.T
        return np.asarray((np.abs(state) ** 2) @ self.z0)


def _sigmoid(values: Any) -> Any:
    return 1.0 / (1.0 + pnp.exp(-values))


class QuantumMember:
    """Variational quantum classifier over a PCA-reduced feature set (see the module doc)."""

    name = "quantum"

    def __init__(self, seed: int = 0, config: CircuitConfig | None = None) -> None:
        self.seed = seed
        self.config = config or CircuitConfig()
        self.scaler = StandardScaler()
        self.reducer = PCA(n_components=self.config.qubits, svd_solver="full")
        self.qnode = build_qnode(self.config.qubits, self.config.layers)
        self.weights = np.zeros((self.config.layers, self.config.qubits, 3))
        self.readout = np.array([1.0, 0.0])
        self.losses: list[float] = []
        self.compiled: CompiledCircuit | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The QNode is a closure over a device, the compiled circuit derived from the weights:
        # both are rebuilt when loaded.
        state = dict(self.__dict__)
        del state["qnode"]
        state.pop("compiled", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.qnode = build_qnode(self.config.qubits, self.config.layers)
        self.compiled = CompiledCircuit(self.config.qubits, self.weights)

    def angles(self, features: np.ndarray) -> np.ndarray:
        """Features → one angle in (−π/2, π/2) per qubit (the fitted scaler and PCA)."""
        reduced = self.reducer.transform(self.scaler.transform(features))
        spread = np.sqrt(self.reducer.explained_variance_)
        return np.arctan(reduced / spread)

    def _probabilities(self, weights: Any, readout: Any, angles: np.ndarray) -> Any:
        return _sigmoid(readout[0] * self.qnode(weights, angles) + readout[1])

    @one_thread
    def fit(self, features: np.ndarray, labels: np.ndarray) -> QuantumMember:
        """Adam on seeded mini-batches of the log loss; gradients by backpropagation (exact)."""
        config = self.config
        rng = np.random.default_rng(self.seed)
        self.scaler.fit(features)
        self.reducer.fit(self.scaler.transform(features))
        angles = self.angles(features)
        targets = labels.astype(float)
        weights = pnp.array(rng.normal(0.0, 0.1, self.weights.shape), requires_grad=True)
        readout = pnp.array(
            [1.0, float(np.log((targets.mean() + 1e-3) / (1 - targets.mean() + 1e-3)))],
            requires_grad=True,
        )
        optimiser = qml.AdamOptimizer(config.learning_rate)
        self.losses = []

        for _ in range(config.steps):
            rows = rng.choice(len(angles), size=min(config.batch, len(angles)), replace=False)
            batch, truth = angles[rows], targets[rows]

            def loss(w: Any, r: Any, batch: np.ndarray = batch, truth: np.ndarray = truth) -> Any:
                p = pnp.clip(self._probabilities(w, r, batch), 1e-7, 1 - 1e-7)
                return -pnp.mean(truth * pnp.log(p) + (1 - truth) * pnp.log(1 - p))

            (weights, readout), value = optimiser.step_and_cost(loss, weights, readout)
            self.losses.append(float(value))
        self.weights = np.array(weights)
        self.readout = np.array(readout)
        self.compiled = CompiledCircuit(config.qubits, self.weights)
        return self

    def predict_up(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0)
        if self.compiled is None:
            self.compiled = CompiledCircuit(self.config.qubits, self.weights)
        expectation = self.compiled.expectation(self.angles(features))
        return np.asarray(1.0 / (1.0 + np.exp(-(self.readout[0] * expectation + self.readout[1]))))

    def draw(self) -> str:
        """The circuit with this member's weights as PennyLane draws it (text), all angles zero."""
        return draw_circuit(self.config, self.weights)


def draw_circuit(config: CircuitConfig, weights: np.ndarray | None = None) -> str:
    """The circuit as PennyLane draws it, with `weights` and every angle zero shown to two
    decimals; without weights, the gates alone (no figures)."""
    qnode = build_qnode(config.qubits, config.layers, diff_method=None)
    shown = np.zeros((config.layers, config.qubits, 3)) if weights is None else weights
    decimals = None if weights is None else 2
    drawing: str = qml.draw(qnode, decimals=decimals, max_length=100)(
        shown, np.zeros(config.qubits)
    )
    return drawing
