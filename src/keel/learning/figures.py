"""Every market figure a lesson quotes, computed from the bundled history when lessons load.

A lesson writes `{{ name }}` where a figure goes; `FIGURES[name]` computes it from the history
(`History`: symbol → daily OHLCV frame, `keel.market.load_bundled` by default) and formats it for
people. No figure is typed by hand in a lesson: a test reads every lesson's source for numbers
with a percent sign. Crashes outside the bundled history (1987, 2020) are named as outside it,
with the history's first and last day computed here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from keel.domain.enums import Regime
from keel.risk.market_breaker import DEFAULT_LEVELS
from keel.volatility.estimators import close_to_close_vol

History = Callable[[str], pd.DataFrame]
"""Symbol → its daily bars (a frame indexed by date with a `Close` column)."""


@dataclass(frozen=True, slots=True)
class Fall:
    """The deepest fall from a peak to a later low within a window of closes."""

    peak_day: date
    peak: float
    low_day: date
    low: float

    @property
    def fraction(self) -> float:
        """The fall as a fraction of the peak (0.5 = half the value gone)."""
        return 1.0 - self.low / self.peak


def _day_of(label: object) -> date:
    return pd.Timestamp(str(label)).date()


def deepest_fall(close: pd.Series, start: str, end: str) -> Fall:
    """The largest peak-to-low fall of `close` between `start` and `end` (inclusive)."""
    window = close.loc[start:end]
    falls = 1.0 - window / window.cummax()
    low_at = pd.Timestamp(str(falls.idxmax()))
    peak_at = pd.Timestamp(str(window.loc[:low_at].idxmax()))
    return Fall(
        peak_at.date(), float(window.loc[peak_at]), low_at.date(), float(window.loc[low_at])
    )


def days_to_recover(close: pd.Series, fall: Fall) -> int | None:
    """Trading days from the low until the close is back at the peak (None: not in the data)."""
    after = close.loc[pd.Timestamp(fall.low_day) :]
    back = after[after >= fall.peak]
    if back.empty:
        return None
    return int(after.index.searchsorted(back.index[0]))


def daily_changes(close: pd.Series) -> pd.Series:
    """Each day's change from the previous close, as a fraction."""
    return close.pct_change().dropna()


def monthly_volatility(close: pd.Series) -> pd.Series:
    """Annualised volatility of the last 21 daily returns (about a month), by day."""
    values = close_to_close_vol(close.to_numpy(dtype=float), window=21)
    return pd.Series(values, index=close.index).dropna()


def percent(fraction: float, digits: int = 1) -> str:
    """`0.5678` → `56.8%`."""
    return f"{fraction * 100:.{digits}f}%"


def day(value: date) -> str:
    """`2008-10-15` → `15 October 2008`."""
    return f"{value.day} {value:%B %Y}"


def number(value: float) -> str:
    """`1565.15` → `1,565`: index points as people read them."""
    return f"{value:,.0f}"


# ----- the named figures -------------------------------------------------------------------------


def _close(history: History, symbol: str) -> pd.Series:
    return history(symbol)["Close"].astype(float)


def _crash_2000(history: History) -> Fall:
    return deepest_fall(_close(history, "SPX"), "2000-01-01", "2003-12-31")


def _crash_2000_nasdaq(history: History) -> Fall:
    return deepest_fall(_close(history, "IXIC"), "2000-01-01", "2003-12-31")


def _crash_2008(history: History) -> Fall:
    return deepest_fall(_close(history, "SPX"), "2007-01-01", "2009-12-31")


def _worst_day_2008(history: History) -> tuple[date, float]:
    changes = daily_changes(_close(history, "SPX")).loc["2008"]
    return _day_of(changes.idxmin()), float(changes.min())


def _vol_peak_2008(history: History) -> tuple[date, float]:
    vol = monthly_volatility(_close(history, "SPX")).loc["2008":"2009"]
    return _day_of(vol.idxmax()), float(vol.max())


def _years(history: History) -> pd.Series:
    close = _close(history, "SPX")
    year_end = close.groupby(pd.DatetimeIndex(close.index).year).last()
    return year_end.pct_change().dropna()


def _big_drops(history: History) -> pd.Series:
    worst = min(level.fall for level in DEFAULT_LEVELS)
    changes = daily_changes(_close(history, "SPX"))
    return changes[changes <= -worst]


def _vix_peak(history: History) -> tuple[date, float]:
    vix = _close(history, "VIX")
    return _day_of(vix.idxmax()), float(vix.max())


def _goog_2008(history: History) -> Fall:
    return deepest_fall(_close(history, "GOOG"), "2007-01-01", "2009-12-31")


def _recovery_2008(history: History) -> int:
    days = days_to_recover(_close(history, "SPX"), _crash_2008(history))
    if days is None:  # pragma: no cover - the bundled SPX recovers in 2013
        raise ValueError("SPX does not get back to its 2007 peak in the bundled history")
    return days


def _calm_vol(history: History) -> float:
    return float(np.median(monthly_volatility(_close(history, "SPX"))))


FIGURES: dict[str, Callable[[History], str]] = {
    # the bundled history itself
    "spx_first_day": lambda h: day(_close(h, "SPX").index[0].date()),
    "spx_last_day": lambda h: day(_close(h, "SPX").index[-1].date()),
    "spx_first_year": lambda h: str(_close(h, "SPX").index[0].year),
    "spx_last_year": lambda h: str(_close(h, "SPX").index[-1].year),
    "spx_trading_days": lambda h: f"{len(_close(h, 'SPX')):,}",
    # the dot-com crash (2000–2002)
    "spx_2000_fall": lambda h: percent(_crash_2000(h).fraction),
    "spx_2000_peak_day": lambda h: day(_crash_2000(h).peak_day),
    "spx_2000_low_day": lambda h: day(_crash_2000(h).low_day),
    "ixic_2000_fall": lambda h: percent(_crash_2000_nasdaq(h).fraction),
    "ixic_2000_peak": lambda h: number(_crash_2000_nasdaq(h).peak),
    "ixic_2000_low": lambda h: number(_crash_2000_nasdaq(h).low),
    "ixic_2000_peak_day": lambda h: day(_crash_2000_nasdaq(h).peak_day),
    # the 2008 crash
    "spx_2008_fall": lambda h: percent(_crash_2008(h).fraction),
    "spx_2008_peak": lambda h: number(_crash_2008(h).peak),
    "spx_2008_low": lambda h: number(_crash_2008(h).low),
    "spx_2008_peak_day": lambda h: day(_crash_2008(h).peak_day),
    "spx_2008_low_day": lambda h: day(_crash_2008(h).low_day),
    "spx_2008_worst_day": lambda h: day(_worst_day_2008(h)[0]),
    "spx_2008_worst_day_fall": lambda h: percent(-_worst_day_2008(h)[1]),
    "spx_2008_vol_peak": lambda h: percent(_vol_peak_2008(h)[1], 0),
    "spx_2008_vol_peak_day": lambda h: day(_vol_peak_2008(h)[0]),
    "spx_2008_recovery_days": lambda h: f"{_recovery_2008(h):,}",
    "goog_2008_fall": lambda h: percent(_goog_2008(h).fraction),
    # years, days and volatility
    "spx_2008_year": lambda h: percent(-float(_years(h).loc[2008])),
    "spx_best_year": lambda h: str(_years(h).idxmax()),
    "spx_best_year_gain": lambda h: percent(float(_years(h).max())),
    "spx_up_years": lambda h: str(int((_years(h) > 0).sum())),
    "spx_down_years": lambda h: str(int((_years(h) <= 0).sum())),
    "spx_big_drop_days": lambda h: str(len(_big_drops(h))),
    "spx_calm_vol": lambda h: percent(_calm_vol(h), 0),
    "vix_peak": lambda h: f"{_vix_peak(h)[1]:.1f}",
    "vix_peak_day": lambda h: day(_vix_peak(h)[0]),
    "vix_first_year": lambda h: str(_close(h, "VIX").index[0].year),
    # the rules the figures are judged by (from the breaker's own configuration)
    "mwcb_level_1": lambda h: percent(DEFAULT_LEVELS[0].fall, 0),
    "mwcb_level_2": lambda h: percent(DEFAULT_LEVELS[1].fall, 0),
    "mwcb_level_3": lambda h: percent(DEFAULT_LEVELS[2].fall, 0),
    "regime_count": lambda h: str(len(Regime)),
}
"""Figure name → its computation from the history, formatted as the lesson shows it."""


def compute(names: set[str], history: History) -> dict[str, str]:
    """The figures `names`, each computed once (raises KeyError for an unknown name)."""
    return {name: FIGURES[name](history) for name in sorted(names)}
