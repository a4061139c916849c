"""Property: whatever fills, deposits and resets hit an account, its books stay consistent.

Prices are real SPX closes; quantities and commissions are drawn by hypothesis. Refused fills
(too little cash, selling what is not held) must leave the account exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from keel.domain.enums import OrderSide
from keel.domain.errors import InsufficientFunds, InsufficientPosition
from keel.domain.fills import Fill
from keel.domain.ledger import ledger_sum

from .factories import ACCOUNT_ID, T0, funded_account, spx_closes


@dataclass(frozen=True)
class Step:
    kind: str  # "fill", "deposit" or "reset"
    side: OrderSide
    quantity: Decimal
    price_index: int
    commission: Decimal


steps = st.builds(
    Step,
    kind=st.sampled_from(["fill", "fill", "fill", "fill", "deposit", "reset"]),
    side=st.sampled_from(list(OrderSide)),
    quantity=st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("50"), places=6),
    price_index=st.integers(min_value=0, max_value=5030),
    commission=st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=2),
)


@settings(max_examples=150, deadline=None)
@given(
    starting_cash=st.decimals(min_value=Decimal("1"), max_value=Decimal("100000"), places=2),
    plan=st.lists(steps, max_size=40),
    shorting=st.booleans(),
)
def test_books_balance_after_any_sequence(
    starting_cash: Decimal, plan: list[Step], shorting: bool
) -> None:
    account = funded_account(starting_cash, shorting_allowed=shorting)
    expected_cash = starting_cash
    for number, step in enumerate(plan):
        before = (account.cash, len(account.ledger), len(account.fills))
        if step.kind == "deposit":
            account.deposit(step.commission + Decimal("0.01"), time=T0)
            expected_cash += step.commission + Decimal("0.01")
        elif step.kind == "reset":
            account.reset(starting_cash, time=T0)
            expected_cash = starting_cash
        else:
            fill = Fill(
                id=f"F{number}",
                order_id=f"O{number}",
                account_id=ACCOUNT_ID,
                symbol="SPX",
                side=step.side,
                quantity=step.quantity,
                price=spx_closes()[step.price_index],
                commission=step.commission,
                time=T0,
            )
            try:
                account.apply_fill(fill)
                expected_cash += fill.net_cash
            except (InsufficientFunds, InsufficientPosition):
                assert (account.cash, len(account.ledger), len(account.fills)) == before
        assert account.cash == expected_cash
        assert account.cash == ledger_sum(account.ledger.entries)
        assert account.cash >= 0
        held = sum((f.signed_quantity for f in account.fills), Decimal(0))
        assert account.position("SPX").quantity == held
        if not shorting:
            assert held >= 0
        assert account.invariant_violations() == []
