"""Use cases of account requests: a minor asks, a linked guardian approves (2FA) or rejects; a
guardian may also open an account for the minor directly. Never commits.

A minor cannot open or reset an account alone (finding 10 of issue 12): a new account escaped the
guardian's limits, and a reset wiped a losing record. The request waits, like a minor's order,
for any linked guardian; a minor without a guardian yet waits for the first one to link. An
approved request opens the account under the guardians' per-minor limits (`apply_to_holder`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from keel.domain.errors import DomainError
from keel.server.account_requests import repository
from keel.server.account_requests.models import (
    APPROVED,
    OPEN,
    PENDING,
    REJECTED,
    RESET,
    AccountRequestRow,
)
from keel.server.account_requests.schemas import (
    AccountDecisionIn,
    AccountDecisionOut,
    AccountRequestOut,
    MinorAccountIn,
    PendingAccountRequestOut,
)
from keel.server.account_risk.service import apply_to_holder
from keel.server.accounts import repository as accounts_repo
from keel.server.accounts import service as accounts
from keel.server.approvals.service import problem_of
from keel.server.auth import repository as users
from keel.server.auth.models import User
from keel.server.auth.throttle import login_throttle
from keel.server.auth.twofactor import require_fresh_second_factor
from keel.server.errors import ProblemError, not_found
from keel.server.guardians.service import require_linked_minor
from keel.server.orders.workspace import Workspace
from keel.server.runtime import Runtime
from keel.server.scenarios.service import tradable_scenario

MAX_PENDING = 5
"""Requests one minor may have waiting at once."""


def describe(row: AccountRequestRow) -> AccountRequestOut:
    return AccountRequestOut.model_validate(row)


async def _new_request(
    session: AsyncSession, runtime: Runtime, minor: User, **fields: object
) -> AccountRequestRow:
    if await repository.pending_count(session, minor.id) >= MAX_PENDING:
        raise ProblemError(
            429,
            "too-many-account-requests",
            "You already have several account requests waiting for your guardian. Wait until "
            "they have answered, then ask again.",
            figures={"pending": MAX_PENDING},
        )
    row = AccountRequestRow(minor_id=minor.id, created_at=runtime.clock.now(), **fields)
    await repository.add(session, row)
    return row


async def request_open(
    session: AsyncSession,
    runtime: Runtime,
    minor: User,
    name: str,
    starting_cash: Decimal | None,
    scenario_id: str,
) -> AccountRequestRow:
    """A minor asks to open an account: checked as an opening would be, then waiting."""
    await tradable_scenario(session, scenario_id)
    cash = (
        accounts.checked_starting_cash(runtime, starting_cash)
        if starting_cash is not None
        else None
    )
    return await _new_request(
        session,
        runtime,
        minor,
        kind=OPEN,
        scenario_id=scenario_id,
        name=name.strip() or "Paper account",
        starting_cash=cash,
        status=PENDING,
    )


async def request_reset(
    session: AsyncSession,
    runtime: Runtime,
    minor: User,
    account_id: str,
    starting_cash: Decimal | None,
) -> AccountRequestRow:
    """A minor asks to start an account over (404 when it is not theirs)."""
    if await accounts_repo.get_account(session, account_id, minor.id) is None:
        raise not_found("account")
    cash = (
        accounts.checked_starting_cash(runtime, starting_cash)
        if starting_cash is not None
        else None
    )
    return await _new_request(
        session,
        runtime,
        minor,
        kind=RESET,
        account_id=account_id,
        starting_cash=cash,
        status=PENDING,
    )


async def my_requests(session: AsyncSession, minor: User) -> list[AccountRequestOut]:
    return [describe(row) for row in await repository.of_minor(session, minor.id)]


async def pending(session: AsyncSession, guardian: User) -> list[PendingAccountRequestOut]:
    return [
        PendingAccountRequestOut(
            minor_id=minor.id, minor_display_name=minor.display_name, request=describe(row)
        )
        for row, minor in await repository.pending_for_guardian(session, guardian.id)
    ]


async def _carry_out(
    session: AsyncSession, runtime: Runtime, row: AccountRequestRow, minor: User
) -> Workspace:
    """Open or reset the account the request names, for the minor."""
    if row.kind == OPEN:
        workspace = await accounts.open_account(
            session,
            runtime,
            minor,
            row.name or "Paper account",
            row.starting_cash,
            scenario_id=row.scenario_id or "default",
        )
        row.account_id = workspace.row.id
        await apply_to_holder(session, runtime, minor.id)
        return workspace
    assert row.account_id is not None
    return await accounts.reset_account(session, runtime, minor, row.account_id, row.starting_cash)


async def _decide_one(
    session: AsyncSession, runtime: Runtime, guardian: User, decision: AccountDecisionIn
) -> AccountDecisionOut:
    row = await repository.of_linked_minor_for_update(session, guardian.id, decision.request_id)
    if row is None:
        raise not_found("request")
    if row.status != PENDING:
        raise ProblemError(
            409,
            "request-not-pending",
            "This request was already answered.",
            figures={"status": row.status},
        )
    account = None
    if decision.decision == "approve":
        minor = await users.get_user(session, row.minor_id)
        if minor is None:
            raise not_found("request")
        account = accounts.describe(await _carry_out(session, runtime, row, minor))
        row.status = APPROVED
    else:
        row.status = REJECTED
        row.reason = (decision.reason or "").strip()
    row.decided_at = runtime.clock.now()
    row.decided_by = guardian.id
    await session.flush()
    return AccountDecisionOut(
        request_id=row.id,
        decision=decision.decision,
        applied=True,
        request=describe(row),
        account=account,
    )


async def decide(
    session: AsyncSession,
    runtime: Runtime,
    guardian: User,
    decisions: Sequence[AccountDecisionIn],
    code: str | None,
) -> list[AccountDecisionOut]:
    """Approve and reject several requests in one 2FA step, as for orders: the code is checked
    once, before any decision; then each request gets its own result."""
    await require_fresh_second_factor(
        session, login_throttle(runtime), guardian, code, now=runtime.clock.now()
    )
    results = []
    for decision in decisions:
        try:
            results.append(await _decide_one(session, runtime, guardian, decision))
        except (ProblemError, DomainError) as error:
            results.append(
                AccountDecisionOut(
                    request_id=decision.request_id,
                    decision=decision.decision,
                    applied=False,
                    problem=problem_of(error),
                )
            )
    return results


async def open_for_minor(
    session: AsyncSession, runtime: Runtime, guardian: User, minor_id: str, body: MinorAccountIn
) -> Workspace:
    """A guardian opens an account for a linked minor (their own act: no request, but recorded
    as an approved one)."""
    minor = await require_linked_minor(session, guardian.id, minor_id)
    row = AccountRequestRow(
        minor_id=minor.id,
        kind=OPEN,
        scenario_id=body.scenario_id,
        name=body.name,
        starting_cash=body.starting_cash,
        status=APPROVED,
        created_at=runtime.clock.now(),
        decided_at=runtime.clock.now(),
        decided_by=guardian.id,
    )
    workspace = await _carry_out(session, runtime, row, minor)
    await repository.add(session, row)
    return workspace
