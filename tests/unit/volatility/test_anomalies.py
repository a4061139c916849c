"""The anomaly detector on real SPX history and on small hand-made streams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from keel.domain.clock import FixedClock
from keel.volatility.anomalies import AnomalyConfig, AnomalyDetector, AnomalyKind

START = datetime(2024, 1, 2, 14, 30, tzinfo=UTC)


def test_known_spx_shocks_are_jumps(spx: pd.DataFrame) -> None:
    detector = AnomalyDetector()
    jump_days = set()
    for day, row in spx.iterrows():
        for event in detector.update(row["Close"], row["Open"], day.to_pydatetime()):
            if event.kind is AnomalyKind.JUMP:
                assert event.figures["sigmas"] > 4.0
                jump_days.add(day.strftime("%Y-%m-%d"))
    assert {"2001-09-17", "2011-08-08", "2018-02-05", "2016-06-24"} <= jump_days
    assert len(jump_days) < 40  # rare by construction: a jump is a > 4σ move


def test_jump_is_judged_against_the_volatility_before_it() -> None:
    detector = AnomalyDetector(AnomalyConfig(min_history=5))
    prices = [100.0, 100.5, 100.0, 100.6, 100.1, 100.7, 100.2]
    for price in prices:
        assert detector.update(price) == []
    events = detector.update(95.0)
    assert [e.kind for e in events] == [AnomalyKind.JUMP]
    assert events[0].figures["log_return"] < -0.05
    assert "σ" in events[0].message


def test_gap_between_previous_close_and_open() -> None:
    detector = AnomalyDetector(AnomalyConfig(min_history=3, jump_sigmas=100.0))
    for price in [100.0, 100.4, 100.0, 100.4, 100.0]:
        detector.update(price, open_=price)
    events = detector.update(100.2, open_=104.0)
    assert [e.kind for e in events] == [AnomalyKind.GAP]
    assert events[0].figures["log_return"] > 0.03


def test_nothing_is_flagged_before_enough_history() -> None:
    detector = AnomalyDetector(AnomalyConfig(min_history=20))
    assert detector.update(100.0) == [] and detector.update(50.0) == []


def test_stale_data_is_judged_by_the_clock_passed_in() -> None:
    clock = FixedClock(START)
    detector = AnomalyDetector(AnomalyConfig(max_silence=timedelta(seconds=30)))
    assert detector.check_stale(clock.now()) is None  # nothing seen yet: nothing to call stale
    detector.update(100.0, at=clock.now())
    clock.set(START + timedelta(seconds=30))
    assert detector.check_stale(clock.now()) is None
    clock.set(START + timedelta(seconds=45))
    event = detector.check_stale(clock.now())
    assert event is not None and event.kind is AnomalyKind.STALE
    assert event.figures["silence_seconds"] == 45.0
    detector.update(100.1, at=clock.now())
    assert detector.check_stale(clock.now()) is None
