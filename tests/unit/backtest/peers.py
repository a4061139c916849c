"""backtesting.py 0.6.6 peers of Keel's strategies, for trade-by-trade cross-checks."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from backtesting import Backtest
from backtesting import Strategy as PeerStrategy
from backtesting.lib import crossover
from backtesting.test import SMA

from keel.backtest.strategy import Bars
from keel.backtest.strategy import Strategy as KeelStrategy


class PeerSmaCross(PeerStrategy):
    """backtesting.py's own SMA crossover example: close, then reverse on each cross."""

    n1 = 10
    n2 = 30

    def init(self) -> None:
        self.sma1 = self.I(SMA, self.data.Close, self.n1)
        self.sma2 = self.I(SMA, self.data.Close, self.n2)

    def next(self) -> None:
        if crossover(self.sma1, self.sma2):
            self.position.close()
            self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()
            self.sell()


def _signal_peer(keel: KeelStrategy, long_short: bool) -> type[PeerStrategy]:
    """A peer that trades Keel's (causal, verified) decisions with backtesting.py's broker."""
    indicators = dict(keel.indicators)
    decisions = keel._cached_signals
    reenter = keel.reenter
    assert decisions is not None

    class SignalPeer(PeerStrategy):
        def init(self) -> None:
            # Indicators must be attributes: backtesting.py derives its warm-up from them.
            for number, (name, values) in enumerate(indicators.items()):
                setattr(self, f"indicator_{number}", self.I(lambda v=values: v, name=name))

        def next(self) -> None:
            decision = decisions[len(self.data) - 1]
            if math.isnan(decision):
                return
            side = np.sign(decision)
            if side < 0 and not long_short:
                side = 0
            if side == np.sign(self.position.size) and not (reenter and side):
                return
            self.position.close()
            if side > 0:
                self.buy()
            elif side < 0:
                self.sell()

    return SignalPeer


def _rebalance_peer(keel: KeelStrategy) -> type[PeerStrategy]:
    """Peer of vol-target buy-and-hold: rebalance to target_vol / vol of equity every N bars."""
    vol = keel.indicators["vol"]
    params = keel.p

    class RebalancePeer(PeerStrategy):
        def init(self) -> None:
            self.vol = self.I(lambda: vol, name="vol")

        def next(self) -> None:
            index = len(self.data) - 1
            if index % int(params["rebalance"]) or not vol[index] > 0:
                return
            exposure = min(params["max_leverage"], params["target_vol"] / vol[index])
            desired = math.floor(exposure * self.equity / self.data.Close[-1])
            change = desired - self.position.size
            if change > 0:
                self.buy(size=change)
            elif change < 0:
                self.sell(size=-change)

    return RebalancePeer


def run_peer(
    frame: pd.DataFrame,
    keel_cls: type[KeelStrategy],
    params: dict[str, Any],
    *,
    cash: float,
    commission: float,
    long_short: bool,
    trade_on_close: bool = False,
    finalize: bool = True,
) -> pd.Series:
    """Run backtesting.py on the peer of `keel_cls` and return its stats Series."""
    keel = keel_cls(**params)
    keel.prepare(Bars(frame))
    if keel.name == "vol-target-buy-and-hold":
        peer = _rebalance_peer(keel)
    else:
        peer = _signal_peer(keel, long_short)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        backtest = Backtest(
            frame,
            peer,
            cash=cash,
            commission=commission,
            trade_on_close=trade_on_close,
            finalize_trades=finalize,
        )
        return backtest.run()
