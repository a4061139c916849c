"""The fill cache after a workspace's transaction: what the next workspace of the account reads
instead of the database (`keel.server.accounts.state`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from keel.domain.portfolio import Position, positions_from_fills
from keel.server.accounts.state import CachedFills, remember_after_commit
from keel.server.orders.mapping import fill_as_stored

if TYPE_CHECKING:
    from keel.server.orders.workspace import Workspace


def cache_after_commit(workspace: Workspace) -> None:
    """Cache the epoch's fills as stored once the workspace's transaction commits: the stored
    ones it opened with plus its own fills converted, positions replayed over the new ones."""
    dialect = workspace.session.get_bind().dialect.name
    fills = workspace.account.fills
    known = workspace.stored_fills
    stop_order_ids = workspace.stop_order_ids  # the cached ones plus those of the new fills
    if len(fills) >= len(known) and (not known or fills[len(known) - 1] is known[-1]):
        new = tuple(fill_as_stored(fill, dialect) for fill in fills[len(known) :])
        start: Mapping[str, Position] = workspace.stored_positions
    else:  # the account no longer starts with what was stored (a reset): convert everything
        new, known, start = tuple(fill_as_stored(f, dialect) for f in fills), (), {}
        stop_order_ids &= {fill.order_id for fill in new}
    positions = positions_from_fills(new, start)
    entry = CachedFills(
        epoch=workspace.row.epoch,
        ledger_length=workspace.row.ledger_length,
        fills=known + new,
        stop_order_ids=stop_order_ids,
        positions=positions,
    )
    remember_after_commit(
        workspace.session, workspace.runtime.fill_cache, workspace.account.id, entry
    )
