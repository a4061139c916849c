"""Clocks: the core never reads the wall clock; it is handed one of these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Source of the current time (timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class FixedClock:
    """A clock that only moves when told to: for tests and simulated time (backtests, replays)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError("a clock never runs backwards")
        self._now = moment


class WallClock:
    """The real clock, used only by the server shell."""

    def now(self) -> datetime:
        return datetime.now(UTC)
