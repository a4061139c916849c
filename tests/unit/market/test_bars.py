"""Bars: the float → Decimal boundary and the session time convention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from keel.market import Bar, bars_from_frame, bars_to_frame, load_bundled, session_bounds
from keel.market.datasets import snap_float32_cents


@pytest.mark.parametrize(
    ("day", "open_utc", "close_utc"),
    [
        (
            date(2008, 9, 2),
            datetime(2008, 9, 2, 13, 30, tzinfo=UTC),
            datetime(2008, 9, 2, 20, 0, tzinfo=UTC),
        ),
        (
            date(2008, 12, 1),
            datetime(2008, 12, 1, 14, 30, tzinfo=UTC),
            datetime(2008, 12, 1, 21, 0, tzinfo=UTC),
        ),
    ],
)
def test_session_follows_new_york_daylight_saving(
    day: date, open_utc: datetime, close_utc: datetime
) -> None:
    assert session_bounds(day) == (open_utc, close_utc)


def test_spx_bars_are_exact_cents_and_stamped_at_the_session_open() -> None:
    frame = load_bundled("SPX")
    bars = bars_from_frame("SPX", frame)
    assert len(bars) == 5031
    first = bars[0]
    # The source stores 1248.81 as float32 (1248.810059); the bar carries the price meant.
    assert first.high == Decimal("1248.81")
    assert (first.open, first.low, first.close) == (
        Decimal("1229.23"),
        Decimal("1219.1"),
        Decimal("1228.1"),
    )
    assert first.time == datetime(1999, 1, 4, 14, 30, tzinfo=UTC)
    assert all(isinstance(b.close, Decimal) for b in bars)


def test_bars_round_trip_to_the_same_frame() -> None:
    frame = load_bundled("GOOG").iloc[:250]
    back = bars_to_frame(bars_from_frame("GOOG", frame))
    pd.testing.assert_frame_equal(back, frame, check_freq=False, check_index_type=False)


def test_hourly_bars_keep_their_hour() -> None:
    frame = load_bundled("EURUSD").iloc[:3]
    bars = bars_from_frame("EURUSD", frame, "1h")
    assert [b.time.hour for b in bars] == [9, 10, 11]
    assert bars[0].low == Decimal("1.0708")  # 1.07083 on the 4-place price grid


def test_a_bar_refuses_inconsistent_prices() -> None:
    moment = datetime(2008, 9, 2, 13, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="low <= open"):
        Bar("X", moment, Decimal(10), Decimal(9), Decimal(8), Decimal(9), Decimal(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        Bar(
            "X",
            moment.replace(tzinfo=None),
            Decimal(9),
            Decimal(10),
            Decimal(8),
            Decimal(9),
            Decimal(1),
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1248.810059, 1248.81),  # float32 noise on a cent price
        (1.07083, 1.07083),  # a genuine five-decimal FX price is left alone
        (2506.8512, 2506.8512),  # a genuine sub-cent price is left alone
        (70000.010001, 70000.010001),  # above 2**16 float32 cannot tell cents apart
    ],
)
def test_float32_cleanup_only_touches_float32_noise(raw: float, expected: float) -> None:
    import numpy as np

    assert snap_float32_cents(np.array([raw]))[0] == expected
