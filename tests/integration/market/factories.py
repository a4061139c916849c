"""Market helpers for integration tests: a started runtime with settings overrides."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from keel.server.runtime import Runtime
from tests.integration.conftest import _empty_tables, make_settings


@asynccontextmanager
async def started(database_url: str, var_dir: Path, **overrides: object) -> AsyncIterator[Runtime]:
    """A started runtime on `var_dir` (its market store lives under `var_dir/market`)."""
    runtime = Runtime.build(make_settings(database_url, var_dir, **overrides))
    await _empty_tables(runtime)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
