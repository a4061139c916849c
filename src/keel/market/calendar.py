"""Trading days of the New York Stock Exchange, for dates past the end of the bundled history.

The rules are the exchange's regular full-day holidays (New Year's Day, Martin Luther King Jr. Day,
Washington's Birthday, Good Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day,
Thanksgiving, Christmas) with the usual weekend observance. One-off closures (e.g. 2001-09-11,
2012-10-29, national days of mourning) are not predictable and are not included.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from pandas.tseries.holiday import (
    AbstractHolidayCalendar,
    GoodFriday,
    Holiday,
    USLaborDay,
    USMartinLutherKingJr,
    USMemorialDay,
    USPresidentsDay,
    USThanksgivingDay,
    nearest_workday,
    sunday_to_monday,
)
from pandas.tseries.offsets import CustomBusinessDay

__all__ = ["NyseHolidayCalendar", "next_trading_days", "trading_days"]


class NyseHolidayCalendar(AbstractHolidayCalendar):
    """Regular NYSE full-day holidays."""

    rules = [  # noqa: RUF012 - pandas reads a class attribute
        Holiday("New Year's Day", month=1, day=1, observance=sunday_to_monday),
        USMartinLutherKingJr,
        USPresidentsDay,
        GoodFriday,
        USMemorialDay,
        Holiday("Juneteenth", month=6, day=19, start_date="2022-01-01", observance=nearest_workday),
        Holiday("Independence Day", month=7, day=4, observance=nearest_workday),
        USLaborDay,
        USThanksgivingDay,
        Holiday("Christmas", month=12, day=25, observance=nearest_workday),
    ]


def _business_day() -> CustomBusinessDay:
    return CustomBusinessDay(calendar=NyseHolidayCalendar())


def trading_days(start: date, end: date) -> pd.DatetimeIndex:
    """NYSE trading days from `start` to `end`, both inclusive, as a tz-naive index named Date."""
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=_business_day())
    return pd.DatetimeIndex(days, name="Date")


def next_trading_days(after: date, count: int) -> pd.DatetimeIndex:
    """The `count` NYSE trading days strictly after `after`."""
    first = pd.Timestamp(after) + _business_day()
    days = pd.date_range(first, periods=count, freq=_business_day())
    return pd.DatetimeIndex(days, name="Date")
