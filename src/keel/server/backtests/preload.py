"""Imported by the backtest workers' fork server only: loads every bundled history once, so each
forked worker finds them in `bundled_history`'s cache instead of parsing them per job."""

from __future__ import annotations

from keel.market.datasets import BUNDLED
from keel.server.backtests.work import bundled_history

for _symbol, (_info, _) in BUNDLED.items():
    if _info.tradable:
        bundled_history(_symbol)
