"""What a minor's guardians allow: the data the order gate's minors' rules judge.

A minor's `Account` carries the `GuardianLimits` of its linked guardians (`None` when no guardian is
linked: such an order could never be approved, so it is refused at placement). The limits are
shared by every guardian linked to the minor; any of them may change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class GuardianLimits:
    """`max_order_notional`: largest value of one order in account currency (`None`: no cap);
    `trading_paused`: the minor may place no new orders."""

    max_order_notional: Decimal | None = None
    trading_paused: bool = False
