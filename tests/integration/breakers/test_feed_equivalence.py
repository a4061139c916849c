"""The risk runtime's prices against the feed's: live daily bars come from
`MarketFeed.completed_bars` (the history on the price grid) and give the same regimes and, within
1e-6, the same vols as the stored history's floats; prior closes stay on the stored history, equal
to `MarketFeed.previous_close` on the price grid during a session, while the feed's rolls to the
day's own close on its closing step. Replay 2008-09-02 … 2008-10-31, every symbol."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from keel.domain.money import to_price
from keel.market.bars import SESSION_TZ, session_bounds
from keel.market.datasets import load_bundled
from keel.server.market.component import get_feed
from tests.integration.breakers.factories import replay

LAST_DAY = date(2008, 10, 31)
HALF_TICK = Decimal("0.00005")


async def test_live_bars_and_prior_closes_match_the_history(
    database_url: str, tmp_path: Path
) -> None:
    async with replay(database_url, tmp_path) as run:
        feed, risk = get_feed(run.runtime), run.risk
        symbols = sorted(risk.trackers)
        # The former path: the same warmed-up trackers fed the stored history's float rows.
        reference = {symbol: copy.deepcopy(risk.trackers[symbol]) for symbol in symbols}
        closes_checked = days_checked = 0
        while feed.market_date is not None and feed.market_date <= LAST_DAY:
            await feed.step()
            at = feed.market_time
            assert at is not None
            day = at.astimezone(SESSION_TZ).date()
            closing = at >= session_bounds(day)[1]
            for symbol in symbols:
                history = feed.instruments[symbol].history
                prior = risk.prior_close(symbol, day)
                live = feed.previous_close(symbol)
                assert prior is not None and live is not None
                if closing:
                    today = float(history.loc[pd.Timestamp(day), "Close"])
                    assert live == to_price(today)  # rolled: no longer the prior close
                else:
                    assert live == to_price(float(prior)) and abs(live - prior) <= HALF_TICK
                    closes_checked += 1
            if not closing:
                continue
            bars = {bar.symbol: bar for bar in feed.completed_bars}
            assert set(bars) == set(symbols)
            for symbol in symbols:
                row = feed.instruments[symbol].history.loc[pd.Timestamp(day)]
                bar = bars[symbol]
                assert (bar.open, bar.high, bar.low, bar.close) == tuple(
                    to_price(float(row[c])) for c in ("Open", "High", "Low", "Close")
                )
                expected = reference[symbol].on_bar(
                    float(row["Open"]),
                    float(row["High"]),
                    float(row["Low"]),
                    float(row["Close"]),
                    day,
                )
                tracker = risk.trackers[symbol]
                assert tracker.as_of == day and tracker.reading.regime is expected.regime
                figures = reference[symbol].estimator_figures()
                for name, value in tracker.estimator_figures().items():
                    assert value == pytest.approx(figures[name], rel=1e-6), (symbol, name, day)
            days_checked += 1
        sessions = len(load_bundled("SPX").loc["2008-09-02":"2008-10-31"])
        assert days_checked == sessions and closes_checked > sessions * 10 * len(symbols)
