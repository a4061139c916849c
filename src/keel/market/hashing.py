"""Counter-based random numbers: the same (seed, symbol, bar time) always gives the same draws.

A bar's ticks must not depend on which other bars were synthesised in the same call (the replay
makes one bar at a time, a benchmark makes thousands at once), so each bar gets a 64-bit key and
every draw is SplitMix64 of (key, stream, position) — vectorised over whole arrays in numpy.
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STREAM_STRIDE = np.uint64(1 << 32)
_TO_UNIT = 2.0**-53


def splitmix64(values: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser applied element-wise to a uint64 array (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        return z ^ (z >> np.uint64(31))


def text_key(seed: int, text: str) -> int:
    """A stable 64-bit key for (seed, text); unlike `hash()` it is the same in every process."""
    digest = hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def bar_keys(seed: int, symbol: str, starts_ns: np.ndarray) -> np.ndarray:
    """One uint64 key per bar from the seed, the symbol and the bar's start time (UTC ns)."""
    base = np.uint64(text_key(seed, symbol))
    return splitmix64(np.asarray(starts_ns, dtype=np.int64).view(np.uint64) ^ base)


def uniforms(keys: np.ndarray, stream: int, count: int) -> np.ndarray:
    """Uniform draws in the open interval (0, 1), shaped (len(keys), count)."""
    positions = np.arange(count, dtype=np.uint64) + np.uint64(stream) * _STREAM_STRIDE
    with np.errstate(over="ignore"):
        counters = keys[:, None] + (positions[None, :] + np.uint64(1)) * _GOLDEN
    bits = splitmix64(counters) >> np.uint64(11)
    return (bits.astype(np.float64) + 0.5) * _TO_UNIT
