"""A scenario's trading days, as spaced review counts them (its market calendar, never the wall's)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from keel.learning.review import next_review_day, reviews_done_by
from keel.market.calendar import trading_days
from keel.server.errors import ProblemError
from keel.server.market.component import scenario_of
from keel.server.runtime import Runtime

_RULES_FROM = date(1990, 1, 1)
"""Where a process without a replay calendar starts counting the exchange's trading days."""


@dataclass(frozen=True, slots=True)
class ScenarioDay:
    """Today in a scenario's market, and the trading days from it on."""

    scenario_id: str
    today: date
    days: Sequence[date]
    """Trading days of the scenario, sorted; `today` is among them."""

    def index(self, day: date) -> int:
        return bisect.bisect_left(self.days, day)

    def due_on(self, first_on: date, reviews_done: int) -> date | None:
        """The trading day a question first answered on `first_on` is next due, or None."""
        offset = next_review_day(self.index(first_on), reviews_done)
        if offset is None or offset >= len(self.days):
            return None
        return self.days[offset]

    def reviews_done_today(self, first_on: date) -> int:
        return reviews_done_by(self.index(first_on), self.index(self.today))


@cache
def _exchange_days(until: date) -> tuple[date, ...]:
    return tuple(day.date() for day in trading_days(_RULES_FROM, until + timedelta(days=31)))


def scenario_day(runtime: Runtime, scenario_id: str) -> ScenarioDay:
    """The scenario's market date and calendar (409 when the scenario does not run here)."""
    feed = scenario_of(runtime, scenario_id).feed
    calendar: list[date] | None = getattr(feed, "calendar", None)
    today = feed.market_date
    if calendar:
        return ScenarioDay(scenario_id, today or calendar[-1], calendar)
    if today is None:  # a replica that has not heard from the engine yet
        raise ProblemError(
            409, "scenario-not-running", "This market has not started yet. Try again in a moment."
        )
    # A replica mirrors the engine's date but has no replay of its own: the exchange's rules.
    return ScenarioDay(scenario_id, today, _exchange_days(today))
