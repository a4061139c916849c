"""Direction models: SPX walk-forward wall time per member, and inference latency per signal.

Walk-forward: every member alone over SPX's full walk-forward (yearly refits, 2002 … 2018: the
hybrid's validation years and the 15 scored ones), in this process (one core), the quantum-kernel
classifier (scored beside them, not stacked), then the hybrid's stacking over the members'
predictions. Peer: logistic regression's walk-forward in the same run.

Latency: one signal = one day's feature row in, P(up) out, for 1,000 different days: the
logistic regression (the peer, its scikit-learn `predict_proba`), the classical member
(calibrated boosting), the circuit alone (each through its own `predict_up`, as the walk-forward
calls them), and the hybrid (every member + the stacker + the explanation, through its serving
path: `keel.models.serving`) with its 5 ms budget and without a budget (the circuit on every
signal), loaded from its stored bytes as the server loads it, its budget judged on the thread's
CPU time as the server judges it. A floor beside them: one 15-term
dot product, timed the same way, shows what the machine's scheduling alone adds to a call that
does almost nothing. Garbage collections during the hybrid's run are counted. Targets (issue 10):
hybrid p99 < 5 ms per signal; the full SPX walk-forward of every member < 5 min on the 2-core
machine.

Run: `.venv/bin/python benchmarks/model.py [signals] [--latency-only]`; `--latency-only` skips
the timed walk-forward of every model and fits the hybrid on a short one (2014–2018: three
refits), which gives members of the same shape (150 trees, 3 circuit layers), so the same
latency per signal, in a fraction of the time.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable

import numpy as np

from keel.domain.enums import Regime
from keel.market import load_bundled
from keel.models.artifact import dump_model, load_model
from keel.models.features import build_dataset
from keel.models.latest import fit_latest
from keel.models.walkforward import (
    MEMBER_NAMES,
    SCORED_ALONE,
    EvaluationConfig,
    WalkForward,
    _stack,
    run_walk_forward,
)

Timing = tuple[np.ndarray, float]
"""Wall milliseconds per call, and mean CPU milliseconds per call (a busy machine stretches
wall time, not CPU time)."""


def latencies(call: Callable[[int], object], rows: int) -> Timing:
    call(0)  # warm caches
    out = np.empty(rows)
    cpu = time.process_time()
    for i in range(rows):
        started = time.perf_counter()
        call(i)
        out[i] = time.perf_counter() - started
    return out * 1000, (time.process_time() - cpu) / rows * 1000


def line(label: str, timing: Timing, peer: Timing | None = None) -> str:
    p50, p99 = np.percentile(timing[0], [50, 99])
    text = f"{label:<34} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   CPU {timing[1]:7.3f} ms"
    if peer is not None:
        text += f"   ({p50 / np.percentile(peer[0], 50):5.1f}× logistic's p50)"
    return text


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    signals = int(numbers[0]) if numbers else 1000
    latency_only = "--latency-only" in sys.argv
    # Wall time on a shared machine stretches with its load; CPU time much less.
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    dataset = build_dataset("SPX", load_bundled("SPX"))
    if latency_only:
        config = EvaluationConfig(first_validation="2014-01-01", first_test="2016-01-01")
        walk = run_walk_forward(dataset, config, models=MEMBER_NAMES)
        print(
            f"walk-forward not timed (--latency-only); hybrid fitted on {len(walk.splits)} refits"
        )
    else:
        config = EvaluationConfig()
        seconds: dict[str, float] = {}
        predictions: dict[str, np.ndarray] = {}
        walk: WalkForward | None = None
        cpu: dict[str, float] = {}
        for name in (*MEMBER_NAMES, *SCORED_ALONE):
            started, cpu_started = time.perf_counter(), time.process_time()
            walk = run_walk_forward(dataset, config, models=(name,))
            seconds[name] = time.perf_counter() - started
            cpu[name] = time.process_time() - cpu_started
            predictions[name] = walk.predictions[name]
        assert walk is not None
        started, cpu_started = time.perf_counter(), time.process_time()
        predictions["hybrid"], weights = _stack(
            dataset, config, walk.splits, predictions, MEMBER_NAMES
        )
        seconds["hybrid stacking"] = time.perf_counter() - started
        cpu["hybrid stacking"] = time.process_time() - cpu_started
        walk = WalkForward(dataset, config, walk.splits, predictions, weights)
        refits = len(walk.splits)
        print(f"SPX walk-forward, {refits} yearly refits, one process (wall time):")
        for name, value in seconds.items():
            ratio = value / seconds["logistic"]
            print(
                f"  {name:<16} {value:8.2f} s   CPU {cpu[name]:8.2f} s   ({ratio:6.1f}× logistic)"
            )
        total = sum(seconds.values())
        print(
            f"  {'every model':<16} {total:8.2f} s   CPU {sum(cpu.values()):8.2f} s   "
            "(target < 300 s on 2 cores)"
        )

    model = load_model(dump_model(fit_latest(walk, latency_budget_seconds=0.005)))
    unbudgeted = load_model(dump_model(fit_latest(walk, latency_budget_seconds=float("inf"))))
    rows = dataset.matrix[dataset.warm][-signals:]
    regimes = dataset.features["regime"].to_numpy()[dataset.warm][-signals:]
    members = model.members
    started = time.perf_counter()
    model.signal(rows[0], Regime(int(regimes[0])), time.thread_time)
    first = (time.perf_counter() - started) * 1000
    model.skips_left, model.last_quantum_seconds = 0, None
    gc.freeze()  # what was loaded stays out of the collector's way, as in a server after start-up

    def one(name: str) -> Callable[[int], object]:
        return lambda i: members[name].predict_up(rows[i : i + 1])

    floor = latencies(lambda i: rows[i] @ rows[i], len(rows))
    logistic = latencies(one("logistic"), len(rows))
    print(f"\nLatency per signal over {len(rows)} days (one row at a time):")
    print(line("floor: a 15-term dot product", floor))
    print(line("logistic regression (peer)", logistic))
    print(line("classical (calibrated boosting)", latencies(one("boosting"), len(rows)), logistic))
    print(line("quantum circuit alone", latencies(one("quantum"), len(rows)), logistic))
    print(
        line(
            "hybrid, circuit every time",
            latencies(
                lambda i: unbudgeted.signal(rows[i], Regime(int(regimes[i])), time.thread_time),
                len(rows),
            ),
            logistic,
        )
    )
    used = []
    collections = sum(stat["collections"] for stat in gc.get_stats())

    def budgeted(i: int) -> None:
        used.append(model.signal(rows[i], Regime(int(regimes[i])), time.thread_time).used_quantum)

    hybrid = latencies(budgeted, len(rows))
    collected = sum(stat["collections"] for stat in gc.get_stats()) - collections
    print(line("hybrid, 5 ms budget", hybrid, logistic))
    print(
        f"  the circuit ran on {sum(used[1:])} of {len(rows)} signals; "
        f"last measured {model.last_quantum_seconds * 1000 if model.last_quantum_seconds else 0:.2f} ms; "
        f"{collected} garbage collections during the run; "
        f"the first signal after loading took {first:.1f} ms (the serving form is built then)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
