"""Whether an instrument can be traded, and if not, why in plain words: one rule, used by order
placement and by `/instruments` (so the list never calls a symbol tradable that orders refuse).

Tradable means the live replay quotes it: a daily series marked tradable. VIX is reference only
(it measures how much prices are expected to swing; nobody can buy it); EURUSD's hourly history is
for backtests only. Whether a tradable symbol has a live price right now is another question
(`quoted` in `/instruments`): before the replay's first step, or after a series' history ends, a
market order finds no price and is refused with `no-market-data`.
"""

from __future__ import annotations

from keel.domain.instruments import instrument_label
from keel.server.market.history import Instrument

SEE_LIST = "See GET /api/v1/instruments for the instruments you can trade."


def untradable_reason(item: Instrument | None, symbol: str) -> str | None:
    """`None` when orders for `symbol` (whose stored instrument is `item`) are taken, else why
    not, in plain words."""
    if item is None:
        return f"There is no instrument called {symbol!r} here. {SEE_LIST}"
    label = instrument_label(item.symbol)
    if not item.info.tradable:
        return (
            f"{label} is shown for reference only: it is a measurement of the market, not "
            f"something you can buy or sell. {SEE_LIST}"
        )
    if not item.replayed:
        return (
            f"{label} has {item.info.frequency} price history for backtests only; the live "
            f"market replay does not include it, so it cannot be traded here. {SEE_LIST}"
        )
    return None
