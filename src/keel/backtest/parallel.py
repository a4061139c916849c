"""Executors for sweeps: serial, a local process pool, or a Ray cluster.

The core never reads the environment: the CLI decides (e.g. from KEEL_RAY_ADDRESS) and hands one
of these in. All have `map(fn, items) -> list` preserving order, and `workers`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol


class Executor(Protocol):
    workers: int

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...


class SerialExecutor:
    """Runs everything in this process."""

    workers = 1

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return (fn(item) for item in items)


class ProcessPool:
    """A local process pool of `workers` processes (default: the CPU count)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            yield from pool.map(fn, items)


class RayExecutor:
    """Runs tasks on a Ray cluster at `address` ("local" starts one in-process)."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        import ray

        if not ray.is_initialized():
            if address == "local":
                ray.init(num_cpus=workers or 2, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=address, log_to_driver=False)
        self._ray = ray
        self.workers = workers or int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        remote = self._ray.remote(fn)
        refs = [remote.remote(item) for item in items]
        for ref in refs:
            yield self._ray.get(ref)
