"""An account's domain state resumed from what is stored, without replaying its whole ledger.

The account row carries the cash balance, the number of ledger entries and the epoch, updated in
the same transaction as every ledger entry (`keel check` proves cash == sum of the ledger). A
trading transaction therefore resumes the ledger from the row: new entries continue the numbering
and the running balance, and only they are written back. The epoch's fills are still handed to the
domain `Account` (positions are their replay, and the order gate's account breakers read them);
`FillCache` keeps them, and the positions they replay to, per account in memory between
transactions, checked against the row, so a transaction converts and replays only its new fills.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from keel.domain.fills import Fill
from keel.domain.portfolio import Position

FILL_CACHE_ACCOUNTS = 10_000
"""How many accounts' fills one process keeps (the least recently used are dropped)."""

_PENDING = "keel.fill_cache.pending"


@dataclass(frozen=True, slots=True)
class CachedFills:
    """The fills of an account's epoch as they stood when its row had this `ledger_length`."""

    epoch: int
    ledger_length: int
    fills: tuple[Fill, ...]
    stop_order_ids: frozenset[str] = frozenset()
    """Orders among `fills`' that were stop or stop-limit orders (their fills are stop exits)."""
    positions: Mapping[str, Position] | None = None
    """What replaying `fills` gives (None: not known); never changed once cached."""


class FillCache:
    """Per-process cache of each account's current-epoch fills (immutable `Fill` tuples).

    An entry is used only while the locked (or freshly read) account row shows the same epoch and
    ledger length: every fill appends a ledger entry and bumps `ledger_length` in the same
    transaction, so a fill written by any process, or a reset, makes the entry stale. A stale
    entry of the same epoch is still the start of the epoch's fills: only the fills stored after
    it are read (`earlier`); a reset reads the new epoch's afresh. Entries are stored only once their transaction has committed
    (`remember_after_commit`); a rollback drops them.
    """

    def __init__(self, capacity: int = FILL_CACHE_ACCOUNTS) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, CachedFills] = OrderedDict()

    def get(self, account_id: str, epoch: int, ledger_length: int) -> tuple[Fill, ...] | None:
        """The cached fills when they are those of the row's (epoch, ledger_length), else None."""
        cached = self.entry(account_id, epoch, ledger_length)
        return cached.fills if cached is not None else None

    def entry(self, account_id: str, epoch: int, ledger_length: int) -> CachedFills | None:
        """The cached entry when it is that of the row's (epoch, ledger_length), else None."""
        cached = self._entries.get(account_id)
        if cached is None or (cached.epoch, cached.ledger_length) != (epoch, ledger_length):
            return None
        self._entries.move_to_end(account_id)
        return cached

    def earlier(self, account_id: str, epoch: int, ledger_length: int) -> CachedFills | None:
        """The cached entry of an earlier state of the same epoch (another process has written
        since): its fills are the first of the epoch's as stored (fills are only ever appended
        within an epoch, numbered from 1), so only the ones after them need reading."""
        cached = self._entries.get(account_id)
        if cached is None or cached.epoch != epoch or cached.ledger_length >= ledger_length:
            return None
        return cached

    def put(self, account_id: str, entry: CachedFills) -> None:
        """Store `entry` unless a newer state of the account is already cached."""
        known = self._entries.get(account_id)
        if known is not None and (known.epoch, known.ledger_length) > (
            entry.epoch,
            entry.ledger_length,
        ):
            return
        self._entries[account_id] = entry
        self._entries.move_to_end(account_id)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def remember_after_commit(
    session: AsyncSession, cache: FillCache, account_id: str, entry: CachedFills
) -> None:
    """Put `entry` into `cache` once `session` commits (the last one per account wins)."""
    pending: dict[tuple[int, str], tuple[FillCache, CachedFills]] = (
        session.sync_session.info.setdefault(_PENDING, {})
    )
    pending[(id(cache), account_id)] = (cache, entry)


@event.listens_for(Session, "after_commit")
def _store_pending(session: Session) -> None:
    pending: dict[tuple[int, str], tuple[FillCache, CachedFills]] | None = session.info.pop(
        _PENDING, None
    )
    for (_, account_id), (cache, entry) in (pending or {}).items():
        cache.put(account_id, entry)


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)
