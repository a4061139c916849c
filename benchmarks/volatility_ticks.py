"""Ticks per second through the streaming volatility path, next to pandas' vectorised EWMA.

One million synthetic ticks (100 symbols × 10,000 steps, seeded GBM with volatility bursts and
occasional jumps, irregular tick spacing) go through, per step: two intraday realised-vol
estimators (slow and fast), the hysteresis regime classifier, the jump detector, a stale-data check
every 1,000 steps, and keel.risk's symbol breaker (if present) for every symbol whose regime
changed or that jumped. The peer is pandas computing an EWMA variance over the same (10,000 × 100)
returns in one vectorised call — a lower bound with no per-tick state machine at all. The scalar
(one object per symbol) path is timed on a slice for contrast.

Run: .venv/bin/python benchmarks/volatility_ticks.py [--steps 10000] [--symbols 100]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from keel.domain.enums import Regime
from keel.volatility.anomalies import AnomalyDetector
from keel.volatility.intraday import IntradayRealisedVol
from keel.volatility.regimes import ThresholdRegimeClassifier
from keel.volatility.returns import TRADING_SECONDS_PER_YEAR
from keel.volatility.vectorized import (
    VectorAnomalyDetector,
    VectorIntradayVol,
    VectorRegimeClassifier,
)

EPOCH = datetime(2024, 1, 2, 14, 30, tzinfo=UTC)


def synthetic_ticks(steps: int, symbols: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    burst = np.where((np.arange(steps) // 2_000) % 3 == 2, 0.7, 0.14)[:, None]
    gaps = rng.uniform(0.2, 1.8, (steps, symbols))
    sd = burst * rng.uniform(0.6, 1.6, symbols) * np.sqrt(gaps / TRADING_SECONDS_PER_YEAR)
    moves = rng.standard_normal((steps, symbols)) * sd
    moves[rng.random((steps, symbols)) < 1e-4] -= 0.02
    return 100.0 * np.exp(np.cumsum(moves, axis=0)), np.cumsum(gaps, axis=0)


def make_breakers(symbols: int) -> list | None:  # type: ignore[type-arg]
    try:
        from keel.risk.symbol_breaker import SymbolBreaker
    except ImportError:
        return None
    return [SymbolBreaker(f"SYM{i:03d}") for i in range(symbols)]


def run_vectorised(prices: np.ndarray, times: np.ndarray) -> tuple[float, dict[str, int]]:
    steps, symbols = prices.shape
    slow, fast = VectorIntradayVol(symbols, 200), VectorIntradayVol(symbols, 20)
    classifier = VectorRegimeClassifier(symbols)
    detector = VectorAnomalyDetector(symbols)
    breakers = make_breakers(symbols)
    counts = {"regime_changes": 0, "jumps": 0, "stale": 0, "breaker_calls": 0}
    previous = classifier.regime.copy()
    started = time.perf_counter()
    for step in range(steps):
        row, stamp = prices[step], times[step]
        vol = slow.update(row, stamp)
        regimes = classifier.step(vol, fast.update(row, stamp))
        jumps = detector.update(row, stamp)
        changed = regimes != previous
        previous = regimes
        if step % 1_000 == 999:
            counts["stale"] += int(detector.stale(float(stamp.max()) + 60.0).sum())
        if changed.any() or jumps.any():
            counts["regime_changes"] += int(changed.sum())
            counts["jumps"] += int(jumps.sum())
            if breakers is not None:
                at = EPOCH + timedelta(seconds=float(stamp.max()))
                for i in np.flatnonzero(changed | jumps):
                    breaker = breakers[i]
                    if regimes[i] >= 0:
                        breaker.observe_regime(Regime(int(regimes[i])), at)
                    breaker.observe_price(float(row[i]), at, float(vol[i]))
                    counts["breaker_calls"] += 1
    return time.perf_counter() - started, counts


def run_scalar(prices: np.ndarray, times: np.ndarray) -> float:
    symbols = prices.shape[1]
    slow = [IntradayRealisedVol(200) for _ in range(symbols)]
    fast = [IntradayRealisedVol(20) for _ in range(symbols)]
    classifiers = [ThresholdRegimeClassifier() for _ in range(symbols)]
    detectors = [AnomalyDetector() for _ in range(symbols)]
    started = time.perf_counter()
    for row, stamp in zip(prices, times, strict=True):
        for i in range(symbols):
            price, at = float(row[i]), float(stamp[i])
            vol, fast_vol = slow[i].update(price, at), fast[i].update(price, at)
            if vol == vol:  # not NaN
                classifiers[i].classify_vol(vol, fast_vol)
            detectors[i].update(price)
    return time.perf_counter() - started


def run_pandas_peer(prices: np.ndarray) -> float:
    started = time.perf_counter()
    returns = np.diff(np.log(prices), axis=0)
    variance = pd.DataFrame(returns * returns).ewm(alpha=0.06).mean()
    float(variance.iloc[-1].sum())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--symbols", type=int, default=100)
    args = parser.parse_args()
    prices, times = synthetic_ticks(args.steps, args.symbols)
    ticks = prices.size
    vector_seconds, counts = run_vectorised(prices, times)
    peer_seconds = run_pandas_peer(prices)
    scalar_steps = max(1, args.steps // 50)
    scalar_seconds = run_scalar(prices[:scalar_steps], times[:scalar_steps])
    scalar_ticks = scalar_steps * args.symbols
    print(f"ticks: {ticks:,} ({args.symbols} symbols × {args.steps:,} steps), one core")
    print(f"keel vectorised streaming path : {ticks / vector_seconds:>13,.0f} ticks/s "
          f"({vector_seconds:.2f} s; estimators, classifier, anomalies"
          f"{', breakers' if make_breakers(1) is not None else ''})")  # fmt: skip
    print(f"pandas vectorised EWMA (peer)  : {ticks / peer_seconds:>13,.0f} ticks/s "
          f"({peer_seconds:.2f} s; one ewm() call, no state machine)")  # fmt: skip
    print(f"keel scalar objects (contrast) : {scalar_ticks / scalar_seconds:>13,.0f} ticks/s "
          f"({scalar_ticks:,} ticks)")  # fmt: skip
    print("events: " + ", ".join(f"{k}={v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
