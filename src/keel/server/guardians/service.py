"""Use cases of guardians: invite, link, list minors, set limits, read a linked minor's accounts —
and the lookups the trading side calls (`guardians_of`, `minor_limits`, `require_linked_minor`).
Never commits."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.enums import Role
from keel.domain.guardians import GuardianLimits
from keel.domain.money import to_money
from keel.server.account_risk.service import drop_guardian_limits
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts import service as accounts
from keel.server.accounts.models import EquitySnapshot, LedgerEntryRow
from keel.server.accounts.schemas import AccountOut
from keel.server.auth import repository as users
from keel.server.auth.models import User, new_id
from keel.server.auth.tokens import sha256_hex
from keel.server.errors import ProblemError, not_found
from keel.server.guardians import repository
from keel.server.guardians.errors import AlreadyLinked, GuardiansFull
from keel.server.guardians.models import (
    MAX_GUARDIANS,
    GuardianInvitation,
    GuardianLink,
    MinorLimitsRow,
)
from keel.server.guardians.schemas import InvitationOut, LimitsIn, LimitsOut, LinkOut, MinorOut
from keel.server.orders import service as orders
from keel.server.orders.models import OrderRow
from keel.server.runtime import Runtime

INVITATION_DAYS = 7
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_invitation_code() -> str:
    """10 characters (50 random bits) as XXXXX-XXXXX."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def invitation_code_hash(code: str) -> str:
    return sha256_hex(re.sub(r"[^0-9A-Z]", "", code.upper()))


async def create_invitation(
    session: AsyncSession, guardian: User, *, now: datetime
) -> InvitationOut:
    """A single-use code, valid for 7 days, that links the minor who redeems it to `guardian`."""
    code = new_invitation_code()
    expires = now + timedelta(days=INVITATION_DAYS)
    await repository.add(
        session,
        GuardianInvitation(
            id=new_id(),
            guardian_id=guardian.id,
            code_hash=invitation_code_hash(code),
            created_at=now,
            expires_at=expires,
        ),
    )
    return InvitationOut(code=code, expires_at=expires)


async def redeem_invitation(
    session: AsyncSession, minor: User, code: str, *, now: datetime
) -> LinkOut:
    """Link `minor` to the guardian who issued `code` (minor learners only; at most
    `MAX_GUARDIANS` guardians each, either of whom approves the minor's orders)."""
    if minor.role != Role.LEARNER.value or not minor.is_minor_on(now.date()):
        raise ProblemError(403, "minors-only", "only a learner under 18 can link to a guardian")
    invitation = await repository.invitation_for_update(session, invitation_code_hash(code))
    if invitation is None or invitation.redeemed_at is not None or invitation.expires_at <= now:
        raise ProblemError(
            404, "invalid-invitation", "this invitation code is unknown, used or expired"
        )
    links = await repository.links_of_minor(session, minor.id)
    if any(link.guardian_id == invitation.guardian_id for link in links):
        raise AlreadyLinked("you are already linked to this guardian")
    if len(links) >= MAX_GUARDIANS:
        raise GuardiansFull(
            f"you already have {MAX_GUARDIANS} guardians; one of them must unlink you first"
        )
    guardian = await users.get_user(session, invitation.guardian_id)
    if guardian is None or not guardian.is_active:
        raise ProblemError(404, "invalid-invitation", "the guardian's account no longer exists")
    invitation.redeemed_at = now
    invitation.redeemed_by = minor.id
    link = GuardianLink(id=new_id(), guardian_id=guardian.id, minor_id=minor.id, created_at=now)
    await repository.add(session, link)
    return LinkOut(
        guardian_id=guardian.id,
        guardian_display_name=guardian.display_name,
        minor_id=minor.id,
        linked_at=now,
    )


async def my_links(session: AsyncSession, user: User) -> list[LinkOut]:
    """The caller's own links as a minor, oldest first (an empty list when not linked)."""
    result = []
    for link in await repository.links_of_minor(session, user.id):
        guardian = await users.get_user(session, link.guardian_id)
        if guardian is not None:
            result.append(
                LinkOut(
                    guardian_id=guardian.id,
                    guardian_display_name=guardian.display_name,
                    minor_id=user.id,
                    linked_at=link.created_at,
                )
            )
    return result


def _limits_out(row: MinorLimitsRow | None) -> LimitsOut:
    if row is None:
        return LimitsOut(max_order_notional=None, trading_paused=False)
    return LimitsOut(
        max_order_notional=_cents(row.max_order_notional), trading_paused=row.trading_paused
    )


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_money(value)


async def list_minors(session: AsyncSession, guardian: User, *, today: date) -> list[MinorOut]:
    """Every minor linked to `guardian`, with the limits set for each and their accounts."""
    linked = await repository.linked_minors(session, guardian.id)
    accounts = await repository.account_ids_by_owner(session, [minor.id for minor, _, _ in linked])
    return [
        MinorOut(
            id=minor.id,
            email=minor.email,
            display_name=minor.display_name,
            date_of_birth=minor.date_of_birth,
            is_minor=minor.is_minor_on(today),
            linked_at=link.created_at,
            limits=_limits_out(limits),
            account_ids=accounts[minor.id],
        )
        for minor, link, limits in linked
    ]


async def require_linked_minor(session: AsyncSession, guardian_id: str, minor_id: str) -> User:
    """The minor if linked to this guardian; 404 otherwise (never reveals other families' minors)."""
    link = await repository.link(session, guardian_id, minor_id)
    minor = await users.get_user(session, minor_id) if link else None
    if minor is None:
        raise not_found("minor")
    return minor


async def get_limits(session: AsyncSession, guardian: User, minor_id: str) -> LimitsOut:
    await require_linked_minor(session, guardian.id, minor_id)
    return _limits_out(await repository.limits_of(session, minor_id))


async def update_limits(
    session: AsyncSession, guardian: User, minor_id: str, change: LimitsIn, *, now: datetime
) -> LimitsOut:
    """Change the minor's limits (the guardian must be linked to the minor): the fields sent are
    set, the others stay as they are."""
    await require_linked_minor(session, guardian.id, minor_id)
    row = await repository.limits_of(session, minor_id)
    if row is None:
        row = MinorLimitsRow(minor_id=minor_id, max_order_notional=None, trading_paused=False)
        session.add(row)
    sent = change.model_fields_set
    if "max_order_notional" in sent:
        row.max_order_notional = change.max_order_notional
    if "trading_paused" in sent and change.trading_paused is not None:
        row.trading_paused = change.trading_paused
    row.updated_at = now
    row.updated_by = guardian.id
    await session.flush()
    return _limits_out(row)


async def unlink(session: AsyncSession, runtime: Runtime, guardian: User, minor_id: str) -> None:
    """End this guardian's link. When it was the minor's last guardian, the guardian's risk limits
    on the minor's accounts end too (another guardian still linked keeps them); the minor's
    pending orders wait for a guardian who can still approve them, or expire."""
    await require_linked_minor(session, guardian.id, minor_id)
    link = await repository.link(session, guardian.id, minor_id)
    if link is not None:
        await repository.delete_link(session, link)
        if not await repository.links_of_minor(session, minor_id):
            await drop_guardian_limits(session, runtime, minor_id)


async def guardians_of(session: AsyncSession, minor_id: str) -> list[User]:
    """The guardians linked to `minor_id` (empty when the minor has none)."""
    return list(await repository.guardians_of(session, minor_id))


async def minor_limits(session: AsyncSession, minor_id: str) -> GuardianLimits | None:
    """What the minor's guardians allow (defaults when none were set); None without a guardian."""
    return await repository.guardian_limits(session, minor_id)


# ----- reading a linked minor's accounts (read-only: the owner's read use cases, for the minor) ---


async def minor_accounts(
    session: AsyncSession, runtime: Runtime, guardian: User, minor_id: str
) -> list[AccountOut]:
    minor = await require_linked_minor(session, guardian.id, minor_id)
    return await accounts.list_accounts(session, runtime, minor)


async def minor_account(
    session: AsyncSession, runtime: Runtime, guardian: User, minor_id: str, account_id: str
) -> AccountOut:
    """One account of a linked minor: cash, equity, positions and P&L (404 unless both the link
    and the account are there)."""
    minor = await require_linked_minor(session, guardian.id, minor_id)
    return accounts.describe(await accounts.account_workspace(session, runtime, minor, account_id))


async def minor_orders(
    session: AsyncSession,
    guardian: User,
    minor_id: str,
    account_id: str,
    *,
    statuses: list[str],
    limit: int,
    before: datetime | None,
) -> Sequence[OrderRow]:
    minor = await require_linked_minor(session, guardian.id, minor_id)
    if await accounts_repo.get_account(session, account_id, minor.id) is None:
        raise not_found("account")
    return await orders.list_orders(
        session,
        minor,
        account_id=account_id,
        statuses=statuses,
        symbol=None,
        limit=limit,
        before=before,
    )


async def minor_ledger(
    session: AsyncSession,
    guardian: User,
    minor_id: str,
    account_id: str,
    *,
    epoch: int | None,
    limit: int,
    before_sequence: int | None,
) -> Sequence[LedgerEntryRow]:
    minor = await require_linked_minor(session, guardian.id, minor_id)
    return await accounts.ledger(
        session, minor, account_id, epoch=epoch, limit=limit, before_sequence=before_sequence
    )


async def minor_equity(
    session: AsyncSession,
    guardian: User,
    minor_id: str,
    account_id: str,
    *,
    epoch: int | None,
    limit: int,
) -> Sequence[EquitySnapshot]:
    minor = await require_linked_minor(session, guardian.id, minor_id)
    return await accounts.equity_history(session, minor, account_id, epoch=epoch, limit=limit)
