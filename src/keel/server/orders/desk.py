"""Order placement in batches: the orders waiting when a batch starts share one transaction.

Placed one by one, an order spends its time on a dozen round trips and a commit, not on trading.
The desk takes every order queued (up to `KEEL_ORDER_BATCH_MAX`) and, in one transaction:

1. locks the accounts involved, in id order (one `SELECT … FOR UPDATE`; batches locking
   overlapping accounts never deadlock), with each owner's birth date and token version;
2. reads repeated `client_order_id`s and the accounts' open orders (one query each);
3. runs each order through its account's workspace in arrival order: the same engine, gate,
   reservations and fill model as a single order, so the orders of one account see each other;
4. writes every new row (one INSERT per table for the whole batch) and commits,

and only then answers the waiting requests: a 201 still means the order is stored, a refusal
that it was refused given the committed orders before it (a refused order stores nothing). A
minor's order (the guardian's rules read more), or one whose account is not the caller's, goes
the single-order way (`service.place_order`) after the batch. If the batch's transaction fails, each of its orders
is placed again on its own, so one order's failure never becomes another's.

A batch starts as soon as the previous one has committed, after waiting `KEEL_ORDER_BATCH_LINGER_MS`
(1 ms) for the requests already on their way when fewer than the maximum are queued: under light
load a batch is one order, a millisecond later.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from dataclasses import dataclass, field

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from keel.domain.enums import OrderStatus
from keel.domain.order_requests import OrderRequest
from keel.server.accounts import repository as accounts_repo
from keel.server.auth.deps import unauthorized
from keel.server.auth.tokens import TokenClaims
from keel.server.db import session_scope
from keel.server.errors import ProblemError
from keel.server.lessons import repository as lessons_repo
from keel.server.metrics import ORDER_BATCH_SIZE
from keel.server.orders import repository, service
from keel.server.orders.caller import STALE_TOKEN
from keel.server.orders.schemas import OrderOut
from keel.server.orders.workspace import Workspace, is_minor, open_locked
from keel.server.orders.writes import Appends, insert_orders
from keel.server.runtime import Runtime

log = structlog.get_logger(__name__)

Answer = tuple[OrderOut, bool]
"""The order as stored, and whether this request created it (False: a repeated client id)."""


@dataclass(eq=False)
class Ticket:
    """One waiting request."""

    caller: TokenClaims
    request: OrderRequest
    future: asyncio.Future[Answer]
    order_id: str | None = None
    """The order this ticket is answered with, once the engine has placed it."""
    created: bool = True
    request_id: str | None = field(
        default_factory=lambda: structlog.contextvars.get_contextvars().get("request_id")
    )
    """The HTTP request that queued it: the batch's log lines name every one."""

    def answer(self, order: OrderOut, created: bool) -> None:
        if not self.future.done():  # a request whose client went away is not answered
            self.future.set_result((order, created))

    def fail(self, error: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(error)


@dataclass
class _Batch:
    session: AsyncSession
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    placed: list[Ticket] = field(default_factory=list)
    """Tickets answered with an order of the batch, after the commit."""
    single: list[Ticket] = field(default_factory=list)
    """Tickets placed the single-order way after the batch."""
    refused: list[tuple[Ticket, ProblemError]] = field(default_factory=list)
    """Tickets the engine refused, answered after the commit (if the batch fails, the orders
    before them are placed again, and so are they)."""


class OrderDesk:
    """Queues placements and runs them in batches, one batch at a time, on the running loop."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.batch_max = runtime.settings.order_batch_max
        self.linger = runtime.settings.order_batch_linger_ms / 1000
        self._queue: list[Ticket] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: list[Ticket] = []
        self._connection: AsyncConnection | None = None
        """Kept between batches (no pool checkout and liveness ping per batch); dropped after a
        failed batch, so a broken connection is replaced by a fresh, pinged one."""

    async def place(self, caller: TokenClaims, request: OrderRequest) -> Answer:
        """Place `request` for the holder of `caller`; returns once the order is committed.
        Raises what the single-order path raises (problems, domain errors)."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._queue.append(Ticket(caller, request, future))
        self._wakeup.set()
        if self._task is None or self._task.done():
            # A context of its own: the desk outlives the request that happened to start it,
            # and must not log under that request's id.
            self._task = asyncio.create_task(
                self._run(), name="keel-order-desk", context=contextvars.Context()
            )
        return await future

    async def stop(self) -> None:
        """Stop taking batches; requests still queued get a 503 problem."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for ticket in [*self._in_flight, *self._queue]:
            ticket.fail(ProblemError(503, "unavailable", "the server is shutting down; try again"))
        self._queue.clear()
        await self._drop_connection()

    async def _session(self) -> AsyncSession:
        """A session on the desk's connection (opened when there is none)."""
        if self._connection is None:
            self._connection = await self.runtime.database.connect()
        return self.runtime.sessionmaker(bind=self._connection)

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if self.linger and len(self._queue) < self.batch_max:
                await asyncio.sleep(self.linger)  # let the requests on their way join
            while self._queue:
                batch = self._queue[: self.batch_max]
                del self._queue[: self.batch_max]
                batch = [ticket for ticket in batch if not ticket.future.done()]
                if not batch:
                    continue
                ORDER_BATCH_SIZE.observe(len(batch))
                self._in_flight = batch
                structlog.contextvars.bind_contextvars(
                    request_ids=[ticket.request_id for ticket in batch]
                )
                try:
                    log.debug("order batch", orders=len(batch))
                    await self._place_batch(batch)
                except Exception as error:  # never leave a request waiting for ever
                    log.exception("order batch failed")
                    for ticket in batch:
                        ticket.fail(error)
                finally:
                    structlog.contextvars.unbind_contextvars("request_ids")
                self._in_flight = []

    async def _place_batch(self, tickets: list[Ticket]) -> None:
        answers: list[tuple[Ticket, OrderOut]] = []
        try:
            async with await self._session() as session, session.begin():
                batch = _Batch(session)
                await self._open(batch, tickets)
                for ticket in tickets:
                    if not ticket.future.done() and ticket not in batch.single:
                        self._place_one(batch, ticket)
                answers = await self._write(batch)
            single, refused = batch.single, batch.refused
        except Exception:
            log.warning("order batch failed; placing its orders one by one", exc_info=True)
            await self._drop_connection()
            answers, refused = [], []
            single = [ticket for ticket in tickets if not ticket.future.done()]
        for ticket, order in answers:
            ticket.answer(order, ticket.created)
        for ticket, problem in refused:
            ticket.fail(problem)
        for ticket in single:
            await self._place_single(ticket)

    async def _open(self, batch: _Batch, tickets: list[Ticket]) -> None:
        """Lock the batch's accounts and open a workspace for each that trades here."""
        session = batch.session
        account_ids = {ticket.request.account_id for ticket in tickets}
        locked = await accounts_repo.lock_accounts_with_owners(session, account_ids)
        trading: dict[str, accounts_repo.LockedAccount] = {}
        for ticket in tickets:
            account = locked.get(ticket.request.account_id)
            if account is None or account.row.user_id != ticket.caller.user_id:
                batch.single.append(ticket)  # 404 or 401, told apart by the single path
            elif not account.owner_active or account.owner_token_version != ticket.caller.version:
                ticket.fail(unauthorized(STALE_TOKEN))
            elif is_minor(self.runtime, account):
                batch.single.append(ticket)  # pending approval, the guardian's limits
            else:
                trading[account.row.id] = account
        if not trading:
            return
        keys = {
            (ticket.request.account_id, ticket.request.client_order_id)
            for ticket in tickets
            if ticket.request.client_order_id is not None and ticket.request.account_id in trading
        }
        known = await repository.by_client_order_ids(session, keys)
        for ticket in tickets:
            coid = ticket.request.client_order_id
            if coid is not None and (row := known.get((ticket.request.account_id, coid))):
                ticket.answer(OrderOut.model_validate(row), False)
        open_orders = await repository.open_orders_of(session, trading)
        requirements = await lessons_repo.requirements_of_accounts(session, trading)
        for account_id, account in trading.items():
            batch.workspaces[account_id] = await open_locked(
                session,
                self.runtime,
                account,
                open_orders=open_orders[account_id],
                lesson_requirements=requirements[account_id],
            )

    def _place_one(self, batch: _Batch, ticket: Ticket) -> None:
        """Run one order through its account's engine (no I/O). A refused order stores nothing;
        an unexpected error fails the whole batch."""
        workspace = batch.workspaces[ticket.request.account_id]
        if (problem := workspace.untradable(ticket.request.symbol)) is not None:
            batch.refused.append((ticket, problem))
            return
        workspace.gate.last_refusal = None
        placement = workspace.engine.place(ticket.request, needs_approval=False)
        order = placement.order
        if placement.duplicate:
            if order.id in workspace.discarded:  # the first of them was refused: try afresh
                batch.single.append(ticket)
                return
            ticket.created = False
        elif order.status is OrderStatus.REJECTED:
            workspace.discard(order.id)
            batch.refused.append((ticket, service.refusal(order, workspace.gate.last_refusal)))
            return
        ticket.order_id = order.id
        batch.placed.append(ticket)

    async def _write(self, batch: _Batch) -> list[tuple[Ticket, OrderOut]]:
        """Stage every workspace's changes, write them in a few statements; the answers."""
        workspaces = list(batch.workspaces.values())
        staged = [workspace.stage_orders() for workspace in workspaces]
        await insert_orders(batch.session, [row for stage in staged for row in stage.new_rows])
        appends = Appends()
        for workspace, stage in zip(workspaces, staged, strict=True):
            appends.extend(workspace.stage_changes(stage)[1])
        await appends.write(batch.session)
        await batch.session.flush()  # the account rows' new cash and ledger length
        answers = []
        for ticket in batch.placed:
            assert ticket.order_id is not None
            workspace = batch.workspaces[ticket.request.account_id]
            published = workspace.published.get(ticket.order_id)
            if published is None:  # a repeated client id of an order unchanged by this batch
                published = OrderOut.model_validate(workspace.rows[ticket.order_id])
            answers.append((ticket, published))
        return answers

    async def _place_single(self, ticket: Ticket) -> None:
        """Place one order in its own transaction (the path every order took before batching)."""
        try:
            async for session in session_scope(self.runtime.sessionmaker):
                row, created = await service.place_order(
                    session, self.runtime, ticket.caller, ticket.request
                )
                answer = (OrderOut.model_validate(row), created)
        except Exception as error:
            ticket.fail(error)
            return
        ticket.answer(*answer)


def order_desk(runtime: Runtime) -> OrderDesk:
    """The process's order desk (one per runtime, made on first use)."""
    if runtime.order_desk is None:
        runtime.order_desk = OrderDesk(runtime)
    return runtime.order_desk
