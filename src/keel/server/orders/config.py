"""The engine's execution settings, built once from the server settings."""

from __future__ import annotations

from decimal import Decimal

from keel.engine.config import ExecutionConfig
from keel.server.settings import Settings

SLIPPAGE_BPS = Decimal("1")
"""A marketable order pays 1 bp worse than the touch (documented in the fill model)."""


def execution_config(settings: Settings) -> ExecutionConfig:
    """Fill model settings: 1 bp slippage over the quoted spread, fills limited to the size at the
    touch (the rest waits for later quotes), and a flat `KEEL_COMMISSION_PER_ORDER`."""
    return ExecutionConfig(
        slippage_bps=SLIPPAGE_BPS,
        commission_minimum=settings.commission_per_order,
        limit_to_touch_size=True,
    )
