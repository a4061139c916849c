"""Progress of a run: about 1 % steps in every loop, done == total at the end, and a callback
that raises (how the server cancels a job) stops the run at its first report."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from keel.backtest.execution import OrderExecutor
from keel.backtest.runner import run_backtest
from keel.backtest.settings import ExecutionSettings
from keel.backtest.strategies import SmaCross
from keel.market.datasets import load_bundled
from keel.market.simulator import calibrated, simulate_bars

GOOG = load_bundled("GOOG")
SPX_DAILY = calibrated("SPX")
# 100,000 hourly bars from the SPX calibration (daily volatility spread over 6.5 trading hours, no
# drift, so prices stay in a plausible range over the whole run).
SPX_HOURLY = replace(
    SPX_DAILY, mean_pct=(0.0, 0.0), vol_pct=tuple(v / math.sqrt(6.5) for v in SPX_DAILY.vol_pct)
)
LONG = simulate_bars(
    SPX_HOURLY,
    pd.date_range("2000-01-03", periods=100_000, freq="h"),
    start_price=100.0,
    rng=np.random.default_rng(7),
    base_volume=1e6,
)
LOOPS = ["events", "signals", "engine"]
CASES = [
    *[("GOOG", GOOG, loop, False) for loop in LOOPS],
    *[("GOOG", GOOG, loop, True) for loop in LOOPS],
    *[("100k simulated", LONG, loop, False) for loop in LOOPS],
    ("100k simulated", LONG, "signals", True),  # the breaker pass is most of this run's work
]


class Cancelled(Exception):
    pass


@pytest.mark.parametrize(
    ("label", "frame", "loop", "breakers"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{'breakers' if c[3] else 'plain'}" for c in CASES],
)
def test_progress_rises_in_small_steps_to_the_total(
    label: str, frame: pd.DataFrame, loop: str, breakers: bool
) -> None:
    settings = ExecutionSettings(long_short=True, breakers=breakers)
    calls: list[tuple[int, int]] = []
    result = run_backtest(
        frame, SmaCross, None, settings, loop=loop, progress=lambda *call: calls.append(call)
    )
    total = len(frame)
    done = [call[0] for call in calls]
    assert {call[1] for call in calls} == {total}
    assert calls[-1] == (total, total)
    steps = np.diff([0, *done])
    assert (steps > 0).all() and len(done) >= 50
    assert steps.max() <= 0.03 * total  # about 1 % steps, none far bigger
    # Walking the bars in chunks changes nothing: the silent run gives the same result.
    silent = run_backtest(frame, SmaCross, None, settings, loop=loop)
    assert result.trades == silent.trades
    np.testing.assert_array_equal(result.equity, silent.equity)


@pytest.mark.parametrize("breakers", [False, True], ids=["plain", "breakers"])
@pytest.mark.parametrize("loop", LOOPS)
def test_a_raising_callback_stops_the_run_at_its_first_report(
    loop: str, breakers: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed: list[int] = []
    real_execute = OrderExecutor.execute

    def counting_execute(self: OrderExecutor, *args: Any) -> Any:
        executed.append(1)
        return real_execute(self, *args)

    monkeypatch.setattr(OrderExecutor, "execute", counting_execute)
    settings = ExecutionSettings(long_short=True, breakers=breakers)
    frame = LONG.iloc[:20_000]  # keeps the engine loop quick; still ~200 orders in a full run
    run_backtest(frame, SmaCross, None, settings, loop=loop)
    full_run = len(executed)
    executed.clear()
    calls: list[int] = []

    def cancel(done: int, total: int) -> None:
        calls.append(done)
        raise Cancelled

    with pytest.raises(Cancelled):
        run_backtest(frame, SmaCross, None, settings, loop=loop, progress=cancel)
    assert len(calls) == 1 and calls[0] <= 0.02 * len(frame)
    if breakers:  # cancelled inside the breaker pass, before the loop placed any order
        assert executed == []
    else:
        assert full_run >= 100 and len(executed) <= 0.03 * full_run
