"""Per-symbol and per-account breakers, and the board's tightest level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from keel.domain.enums import OrderSide, Permission, Regime
from keel.domain.fills import Fill
from keel.market.datasets import load_bundled
from keel.risk.account_breaker import (
    AccountBreaker,
    AccountFigures,
    AccountRiskConfig,
    ClosedTrade,
    closed_trades_from_fills,
)
from keel.risk.board import BreakerBoard
from keel.risk.machine import BreakerPolicy
from keel.risk.symbol_breaker import SymbolBreaker, SymbolBreakerConfig
from keel.risk.transitions import BreakerMode
from keel.volatility.calibration import classify_history
from keel.volatility.regimes import ThresholdRegimeClassifier

T0 = datetime(2008, 10, 15, 14, 0, tzinfo=UTC)
D = Decimal


@pytest.mark.parametrize(
    ("regime", "level"),
    [
        (Regime.LOW, Permission.OPEN),
        (Regime.NORMAL, Permission.OPEN),
        (Regime.HIGH, Permission.CAUTIOUS),
        (Regime.EXTREME, Permission.RESTRICTED),
    ],
)
def test_regime_maps_to_level(regime: Regime, level: Permission) -> None:
    breaker = SymbolBreaker("SPX")
    breaker.observe_regime(regime, T0, {"ewma_vol": 0.5})
    assert breaker.level is level


def test_regime_map_is_configurable() -> None:
    levels = {**SymbolBreakerConfig().regime_levels, Regime.EXTREME: Permission.CLOSED}
    breaker = SymbolBreaker("SPX", SymbolBreakerConfig(regime_levels=levels))
    transition = breaker.observe_regime(Regime.EXTREME, T0)
    assert transition is not None and transition.to_level is Permission.CLOSED
    assert "EXTREME" in transition.reason


def test_spx_daily_regimes_drive_the_symbol_breaker_through_2008() -> None:
    """Real labels from the classifier: the symbol is tightened in the 2008 crash, open in 2017."""
    spx = load_bundled("SPX").loc["2006":"2017"]
    labels, _ = classify_history(spx, ThresholdRegimeClassifier())
    breaker = SymbolBreaker("SPX")
    levels = {}
    for day, label in labels.dropna().items():
        at = datetime(day.year, day.month, day.day, 21, tzinfo=UTC)
        breaker.observe_regime(Regime(int(label)), at)
        levels[day] = breaker.level
    series = {day.strftime("%Y-%m-%d"): level for day, level in levels.items()}
    assert series["2008-10-15"] >= Permission.CAUTIOUS
    assert all(level is Permission.OPEN for day, level in series.items() if day.startswith("2017"))


def test_a_jump_closes_the_symbol_for_its_cooldown() -> None:
    breaker = SymbolBreaker("GOOG", SymbolBreakerConfig(jump_halt=timedelta(minutes=10)))
    breaker.observe_price(100.0, T0, annualized_vol=0.3)
    assert breaker.observe_price(100.2, T0 + timedelta(minutes=1), annualized_vol=0.3) is None
    jump = breaker.observe_price(95.0, T0 + timedelta(minutes=2), annualized_vol=0.3)
    assert jump is not None and jump.rule == "price_jump" and jump.to_level is Permission.CLOSED
    assert jump.reopen_at is not None and jump.reopen_at - jump.at >= timedelta(minutes=10)
    assert jump.figures["sigmas"] > 6


def test_a_large_but_ordinary_move_is_not_a_jump_in_a_violent_market() -> None:
    breaker = SymbolBreaker("SPX")
    breaker.observe_price(100.0, T0, annualized_vol=0.8)
    # 3.5 % over a whole session at 80 % annualised vol is ~0.7 standard deviations.
    assert breaker.observe_price(96.5, T0 + timedelta(hours=6.5), annualized_vol=0.8) is None


def figures(equity: str, day_start: str = "10000", peak: str = "10000") -> AccountFigures:
    return AccountFigures(D(equity), D(day_start), D(peak))


@pytest.mark.parametrize(
    ("account_figures", "trades", "rule", "level"),
    [
        (figures("9600"), [], None, Permission.OPEN),
        (figures("9500"), [], "daily_loss", Permission.RESTRICTED),
        (figures("7400", day_start="7500", peak="10000"), [], "drawdown", Permission.RESTRICTED),
        (
            figures("9900"),
            [
                ClosedTrade("SPX", T0 - timedelta(minutes=m), D("-10"), by_stop=True)
                for m in (90, 60, 5)
            ],
            "stoploss_guard",
            Permission.RESTRICTED,
        ),
        (
            figures("9900"),
            [ClosedTrade("SPX", T0 - timedelta(minutes=m), D("-5")) for m in (50, 20, 10)],
            "loss_cooldown",
            Permission.CAUTIOUS,
        ),
        (
            figures("9900"),
            [
                ClosedTrade("SPX", T0 - timedelta(minutes=m), D(p))
                for m, p in ((50, "-5"), (20, "8"), (10, "-5"))
            ],
            None,
            Permission.OPEN,
        ),
    ],
)
def test_account_protections(
    account_figures: AccountFigures,
    trades: list[ClosedTrade],
    rule: str | None,
    level: Permission,
) -> None:
    breaker = AccountBreaker("acct-1")
    transition = breaker.observe(account_figures, trades, T0)
    assert breaker.level is level
    if rule is None:
        assert transition is None
    else:
        assert transition is not None and transition.rule == rule and transition.reason


def test_a_guardian_tightens_a_minors_limits() -> None:
    breaker = AccountBreaker("minor-1")
    assert breaker.observe(figures("9800"), [], T0) is None
    breaker.configure(AccountRiskConfig(daily_loss_limit=D("0.01"), set_by="guardian"))
    transition = breaker.observe(figures("9800"), [], T0 + timedelta(minutes=1))
    assert transition is not None and "guardian" in transition.reason


def test_closed_trades_come_from_fills() -> None:
    def fill(i: int, side: OrderSide, qty: str, price: str, order: str) -> Fill:
        return Fill(
            f"f{i}", order, "a", "SPX", side, D(qty), D(price), D(0), T0 + timedelta(minutes=i)
        )

    fills = [
        fill(1, OrderSide.BUY, "2", "100", "o1"),
        fill(2, OrderSide.SELL, "1", "95", "stop-1"),
        fill(3, OrderSide.SELL, "1", "104", "o3"),
    ]
    trades = closed_trades_from_fills(fills, stop_order_ids=["stop-1"])
    assert [(t.realized_pnl, t.by_stop) for t in trades] == [(D("-5"), True), (D("4"), False)]


def test_board_answers_the_tightest_level_and_names_the_breaker() -> None:
    board = BreakerBoard()
    assert board.verdict("a", "SPX").level is Permission.OPEN
    board.symbol("SPX").observe_regime(Regime.HIGH, T0)
    board.account("a").observe(figures("9400"), [], T0)
    verdict = board.verdict("a", "SPX")
    assert verdict.level is Permission.RESTRICTED and verdict.breaker == "account breaker a"
    assert board.verdict("b", "SPX").level is Permission.CAUTIOUS
    assert board.verdict("b", "GOOG").level is Permission.OPEN
    assert [t.scope_key for t in board.transitions()] == ["SPX", "a"]


def test_board_ignores_measure_only_breakers_but_reports_them() -> None:
    config = SymbolBreakerConfig(policy=BreakerPolicy(mode=BreakerMode.MEASURE_ONLY))
    board = BreakerBoard(symbol_config=config)
    board.symbol("SPX").observe_regime(Regime.EXTREME, T0)
    verdict = board.verdict("a", "SPX")
    assert verdict.level is Permission.OPEN and verdict.measured is Permission.RESTRICTED
