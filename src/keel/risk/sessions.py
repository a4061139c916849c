"""Times a learner can act on: a timed reopening is shown inside the US market's hours.

A cooldown counts market time, and the replay has none between one session's close and the next
one's open, so a level that may change at 16:10 New York time in fact changes at the next
session's open. `in_market_hours` says so directly instead of showing an evening (or a night in
UTC) time no one can trade at.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from keel.market.bars import SESSION_TZ, session_bounds
from keel.market.calendar import NyseHolidayCalendar


@lru_cache(maxsize=256)
def _holidays(year: int) -> frozenset[date]:
    # One calendar query per year: asked per day, pandas' holiday rules cost ~50 ms a call.
    days = NyseHolidayCalendar().holidays(date(year, 1, 1), date(year, 12, 31))
    return frozenset(day.date() for day in days)


def _is_trading_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _next_trading_day(day: date) -> date:
    day += timedelta(days=1)
    while not _is_trading_day(day):
        day += timedelta(days=1)
    return day


def in_market_hours(moment: datetime) -> datetime:
    """`moment` if it falls inside a US session (09:30–16:00 New York, NYSE days), else the open
    of the next session after it (UTC-aware in, UTC-aware out)."""
    day = moment.astimezone(SESSION_TZ).date()
    if _is_trading_day(day):
        opens, closes = session_bounds(day)
        if moment < opens:
            return opens
        if moment <= closes:
            return moment
    return session_bounds(_next_trading_day(day))[0]


def shown_time(moment: datetime) -> str:
    """A reopening time as people read it: ``2008-10-15 10:15 New York time (14:15 UTC)``."""
    local = moment.astimezone(SESSION_TZ)
    return f"{local:%Y-%m-%d %H:%M} New York time ({moment:%H:%M} UTC)"
