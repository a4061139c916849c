"""Waiting for a condition in fault tests (polled; the wait is never the thing asserted)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(condition: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    """Poll `await condition()` until it holds; fail naming `what` after `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while not await condition():  # noqa: ASYNC110 (the conditions are HTTP answers)
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"{what}: not within {within} s") from None
