"""Facts about a bar index computed with numpy on int64 nanoseconds (pandas is slow at this size)."""

from __future__ import annotations

import numpy as np

NS_PER_DAY = 86_400 * 10**9


def median_spacing_days(nanoseconds: np.ndarray) -> float:
    """Median spacing of the last 100 bars, in days (backtesting.py's `_data_period`)."""
    tail = nanoseconds[-100:]
    if len(tail) < 2:
        return 1.0
    return float(np.median(np.diff(tail))) / NS_PER_DAY


def weekend_share(nanoseconds: np.ndarray) -> float:
    """Share of bars on a Saturday or Sunday (1970-01-01 was a Thursday)."""
    weekday = (nanoseconds // NS_PER_DAY + 3) % 7
    return float((weekday >= 5).mean())


def has_weekends(nanoseconds: np.ndarray) -> bool:
    """True for markets that trade 7 days a week (crypto), as backtesting.py decides it."""
    return weekend_share(nanoseconds) > 2 / 7 * 0.6


def annual_periods_and_frequency(nanoseconds: np.ndarray) -> tuple[float, str]:
    """Periods a year and the resampling rule of daily statistics (backtesting.py's rule)."""
    whole_days = int(median_spacing_days(nanoseconds))
    table = {7: (52.0, "W"), 31: (12.0, "ME"), 365: (1.0, "YE")}
    return table.get(whole_days, (365.0 if has_weekends(nanoseconds) else 252.0, "D"))


def one_bar_per_day(nanoseconds: np.ndarray) -> bool:
    """True when every bar sits at midnight of a different day (daily bars need no resampling)."""
    return bool((nanoseconds % NS_PER_DAY == 0).all() and (np.diff(nanoseconds) > 0).all())


def bars_per_year(nanoseconds: np.ndarray) -> float:
    """Bars per year implied by the median spacing (252 for trading days)."""
    if len(nanoseconds) < 3:
        return 252.0
    days = median_spacing_days(nanoseconds)
    if days >= 0.9:
        return 252.0 / max(1.0, round(days))
    return (365.0 if has_weekends(nanoseconds) else 252.0) / days


def bar_frequency(nanoseconds: np.ndarray) -> str:
    """ "1d" for daily (or longer) bars, else the median bar spacing as a pandas Timedelta string."""
    days = median_spacing_days(nanoseconds)
    if days >= 0.9:
        return "1d"
    return str(np.timedelta64(round(days * NS_PER_DAY), "ns").astype("timedelta64[s]"))
