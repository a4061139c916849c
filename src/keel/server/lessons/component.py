"""The lessons as a component of the runtime: read and checked once per process at start-up.

A malformed lesson raises `keel.learning.ContentError` (file and line) and stops start-up. The
market figures come from the bundled history (`keel.market.load_bundled`), the same data the
scenarios replay. The library is kept per content folder, so runtimes started again in one
process (tests) do not read it again.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from keel.learning import Library, load_library
from keel.market import load_bundled
from keel.server.lessons import links
from keel.server.settings import Settings


@lru_cache(maxsize=4)
def _load(content_dir: Path) -> Library:
    return load_library(content_dir, load_bundled)


async def start_lessons(settings: Settings) -> Library:
    """Load (off the event loop) and check the lessons and glossary; install the teachable links."""
    library = await asyncio.to_thread(_load, settings.resolved_content_dir.resolve())
    links.install(library)
    return library
