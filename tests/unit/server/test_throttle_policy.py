"""The documented bound on second-factor guesses holds for the fastest possible guesser."""

from __future__ import annotations

from keel.server.auth.throttle import (
    SECOND_FACTOR_GUESSES_PER_15_MINUTES,
    SECOND_FACTOR_POLICY,
    MemoryLoginThrottle,
)

WINDOW = 15 * 60.0


async def test_no_15_minutes_hold_more_guesses_than_documented() -> None:
    now = [0.0]
    throttle = MemoryLoginThrottle(monotonic=lambda: now[0])
    guesses: list[float] = []
    while now[0] < 6 * 3600:  # six hours of a guesser that never waits longer than it must
        wait = await throttle.retry_after(["2fa:victim"])
        if wait > 0:
            now[0] += wait
            continue
        guesses.append(now[0])
        await throttle.record_failure("2fa:victim", SECOND_FACTOR_POLICY)
    busiest = max(sum(1 for t in guesses if start <= t < start + WINDOW) for start in guesses)
    assert busiest <= SECOND_FACTOR_GUESSES_PER_15_MINUTES
    assert busiest >= SECOND_FACTOR_POLICY.free_failures  # the bound is not vacuous
