"""The soak's mixed learner traffic (benchmarks/soak.py): what a learner does, sent open-loop.

One **cycle** is a few minutes of a learner in a class: a market buy, a limit buy far below the
market and its cancel, `GET /me` twice and a quote twice; every tenth cycle starts with a sign-in
(real argon2id: the servers run as production does), every fiftieth runs a backtest. 50 cycles,
shuffled with a fixed seed, are the repeating sequence; each operation goes to the next learner
in turn, each learner to one api replica (as a load balancer with keep-alive connections does).
Two orders per cycle: a rate in orders/s is `ORDERS_PER_OP` × operations/s.

Operations are started on a fixed schedule, never waiting for earlier ones (open loop), and a
request's latency runs from when it was due, so a slow server cannot slow the clock that
measures it. More than `MAX_IN_FLIGHT` unfinished operations and new ones are shed (counted).

**Sessions, spread over time as real learners' are.** The learners register together before
anything is timed, but real learners arrive at different moments. So each learner's session
(`Traffic.start`) begins with its **first sign-in** at a random moment, drawn uniformly (fixed
seed) between the traffic's start and `FIRST_SIGN_IN_BY` of its registration token's lifetime:
a password sign-in, after which its WebSocket opens again with the new token (as a page loaded
after signing in). From then on the learner keeps its session as the web app does, with the
refresh endpoint (`POST /auth/refresh`, no password hash): each access token is traded for a new
pair after a share of its lifetime drawn anew each time from `REFRESH_AT` (jitter), before it
expires. A sign-in of the mix re-arms that timer too. Refreshes and first sign-ins are requests
of their own (`refresh`, `sign-in`) beside the mix, timed from when they were due; no learner's
token ever expires under a request, and no two learners' renewals line up.

Every learner also holds a WebSocket on its replica subscribed to `quotes:SPX` and its own
`orders`, recording receive time minus the message's `sent_at`. The server closes a socket when
the access token it opened with expires; it reconnects with the learner's newest token (counted
as a reconnect), so those closes are spread as the sign-ins and refreshes are.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import orjson
import redis.asyncio as redis
import websockets

from harness import KeepAlive, encode_request

CYCLE = ["market", "limit_cancel", "me", "me", "quote", "quote"]
CYCLES = 50
SIGN_IN_EVERY, BACKTEST_EVERY = 10, 50
BACKTEST = {"symbol": "GOOG", "strategy": "sma-cross", "params": {"fast": 10, "slow": 30}}
MAX_IN_FLIGHT = 512


def sequence(seed: int = 7) -> list[str]:
    """The repeating operations: `CYCLES` cycles with their sign-ins and backtests, shuffled."""
    ops = []
    for cycle in range(CYCLES):
        ops.extend(CYCLE)
        if cycle % SIGN_IN_EVERY == 0:
            ops.append("sign_in")
        if cycle % BACKTEST_EVERY == 0:
            ops.append("backtest")
    random.Random(seed).shuffle(ops)
    return ops


SEQUENCE = sequence()
ORDERS_PER_OP = 2 * CYCLES / len(SEQUENCE)
REQUESTS_PER_ORDER = (len(SEQUENCE) + SEQUENCE.count("limit_cancel")) / (2 * CYCLES)


FIRST_SIGN_IN_BY = 0.9
"""Every learner's first sign-in falls before this share of its registration token's lifetime."""
REFRESH_AT = (0.6, 0.9)
"""A learner refreshes its access token after a share of its lifetime drawn from this range."""
REFRESH_RETRY_SECONDS = 5.0
"""A refresh that failed (a refused token, a connection) is tried again this much later."""


@dataclass
class Learner:
    email: str
    token: str
    refresh_token: str
    account_id: str
    base: str
    lifetime: float
    """Seconds an access token lives (`expires_in` of the sign-in's answer)."""
    issued_at: float = field(default_factory=time.perf_counter)
    refresh_due: float = 0.0
    """When the session keeper refreshes the token next (`perf_counter` seconds)."""
    socket: websockets.ClientConnection | None = None
    reopening: bool = False
    """The socket is being closed on purpose (a first sign-in): not a reconnect."""


@dataclass
class Window:
    """What happened in one stretch of time (a ramp step, a minute)."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    by_kind: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    orders_placed: int = 0
    connection_errors: int = 0
    shed: int = 0
    ws_messages: int = 0
    ws_latencies: list[float] = field(default_factory=list)
    ws_reconnects: int = 0
    pubsub_messages: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def order_latencies(self) -> list[float]:
        return self.by_kind["order"]


class Traffic:
    """Sends the mix to the api replicas for the learners; records into `window`."""

    def __init__(self, learners: list[Learner], password: str) -> None:
        self.learners, self.password = learners, password
        self.window = Window()
        self._idle: dict[str, list[KeepAlive]] = {learner.base: [] for learner in learners}
        self._in_flight: set[asyncio.Task[None]] = set()
        self._op_index = self._sign_in_index = 0
        self._sockets: list[asyncio.Task[None]] = []
        self._keepers: list[asyncio.Task[None]] = []
        self._random = random.Random(11)

    # ----- open-loop schedule -------------------------------------------------------------------

    async def drive(self, orders_per_s: float, seconds: float) -> None:
        """Start operations at `orders_per_s` (their share of orders) for `seconds`."""
        interval = ORDERS_PER_OP / orders_per_s
        start, sent = time.perf_counter(), 0
        while (due := start + sent * interval) < start + seconds:
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            index = self._op_index
            self._op_index += 1
            sent += 1
            if len(self._in_flight) >= MAX_IN_FLIGHT:
                self.window.shed += 1
                continue
            task = asyncio.create_task(self._operation(index, due))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def drain(self, seconds: float) -> int:
        """Wait up to `seconds` for started operations; how many are still unfinished."""
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=seconds)
        return len(self._in_flight)

    # ----- operations ---------------------------------------------------------------------------

    async def _operation(self, index: int, due: float) -> None:
        kind = SEQUENCE[index % len(SEQUENCE)]
        if kind == "sign_in":
            learner = self.learners[self._sign_in_index % len(self.learners)]
            self._sign_in_index += 1  # round-robin: every learner signs in again in turn
            await self._sign_in(learner, due)
            return
        learner = self.learners[index % len(self.learners)]
        if kind == "me":
            await self._request(learner, "GET /me", "GET", "/api/v1/me", due)
        elif kind == "quote":
            await self._request(learner, "quote", "GET", "/api/v1/instruments/SPX/quote", due)
        elif kind == "backtest":
            await self._request(learner, "backtest", "POST", "/api/v1/backtests", due, BACKTEST)
        elif kind == "market":
            await self._order(learner, due, {"type": "market"})
        else:
            limit = {"type": "limit", "limit_price": "1.00", "time_in_force": "gtc"}
            status, answer = await self._order(learner, due, limit)
            if status == 201:
                order_id = json.loads(answer)["id"]
                path = f"/api/v1/orders/{order_id}"
                await self._request(learner, "cancel", "DELETE", path, time.perf_counter())

    async def _sign_in(self, learner: Learner, due: float) -> bool:
        """A password sign-in (argon2id on the server); the learner takes the new pair."""
        body = {"email": learner.email, "password": self.password}
        status, answer = await self._request(
            learner, "sign-in", "POST", "/api/v1/auth/login", due, body
        )
        if status == 200:
            self._take(learner, json.loads(answer))
        return status == 200

    async def _refresh(self, learner: Learner, due: float) -> bool:
        """Trade the refresh token for a new pair, as the web app does (api/base.ts)."""
        body = {"refresh_token": learner.refresh_token}
        status, answer = await self._request(
            learner, "refresh", "POST", "/api/v1/auth/refresh", due, body
        )
        if status == 200:
            self._take(learner, json.loads(answer))
        return status == 200

    def _take(self, learner: Learner, pair: dict[str, object]) -> None:
        """Hold a new token pair; its refresh falls due after a jittered share of its life."""
        learner.token, learner.refresh_token = str(pair["access_token"]), str(pair["refresh_token"])
        learner.lifetime = float(str(pair["expires_in"]))
        learner.issued_at = time.perf_counter()
        learner.refresh_due = (
            learner.issued_at + self._random.uniform(*REFRESH_AT) * learner.lifetime
        )

    # ----- sessions: a staggered first sign-in, then refreshes before expiry ----------------------

    def start(self) -> float:
        """Open every learner's WebSocket and start keeping every learner's session; returns in
        how many seconds the last first sign-in is due."""
        now = time.perf_counter()
        self._sockets = [
            asyncio.create_task(self._subscriber(learner)) for learner in self.learners
        ]
        last = now
        for learner in self.learners:
            latest = learner.issued_at + FIRST_SIGN_IN_BY * learner.lifetime
            first = self._random.uniform(now, max(now, latest))
            last = max(last, first)
            self._keepers.append(asyncio.create_task(self._keep_session(learner, first)))
        return last - now

    async def stop(self) -> None:
        for task in (*self._keepers, *self._sockets):
            task.cancel()
        await asyncio.gather(*self._keepers, *self._sockets, return_exceptions=True)

    async def _keep_session(self, learner: Learner, first: float) -> None:
        await asyncio.sleep(max(0.0, first - time.perf_counter()))
        while not await self._sign_in(learner, first):
            first = time.perf_counter() + REFRESH_RETRY_SECONDS
            await asyncio.sleep(REFRESH_RETRY_SECONDS)
        if learner.socket is not None:  # the page opens again, with the new token
            learner.reopening = True
            with contextlib.suppress(OSError, websockets.WebSocketException):
                await learner.socket.close()
        while True:
            if (wait := learner.refresh_due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
                continue  # a sign-in of the mix may have re-armed the timer meanwhile
            due = learner.refresh_due
            if not await self._refresh(learner, due):
                learner.refresh_due = time.perf_counter() + REFRESH_RETRY_SECONDS

    async def _order(
        self, learner: Learner, due: float, shape: dict[str, str]
    ) -> tuple[int, bytes]:
        body = {"account_id": learner.account_id, "symbol": "SPX", "side": "buy",
                "quantity": "0.01", **shape}  # fmt: skip
        status, answer = await self._request(learner, "order", "POST", "/api/v1/orders", due, body)
        if status == 201:
            self.window.orders_placed += 1
        return status, answer

    async def _request(
        self, learner: Learner, kind: str, method: str, path: str, due: float, body: object = None
    ) -> tuple[int, bytes]:
        """Status and body (status 0: the connection failed); latency from `due`."""
        headers = {"Authorization": f"Bearer {learner.token}"}
        if path.startswith("/api/v1/auth/"):  # sign-in and refresh carry no access token
            headers = {}
        idle, request = (
            self._idle[learner.base],
            encode_request(learner.base, method, path, headers, body),
        )
        # A connection idle for longer than the server's keep-alive (uvicorn: 5 s) is closed by
        # the server: a request on a reused one that fails is sent once more, on a new one.
        reused = bool(idle)
        connection = idle.pop() if idle else KeepAlive(learner.base)
        for attempt in (1, 2):
            try:
                status, answer = await connection.send(request)
                break
            except (OSError, asyncio.IncompleteReadError, ValueError, RuntimeError):
                if not reused or attempt == 2:
                    self.window.connection_errors += 1
                    return 0, b""
                connection = KeepAlive(learner.base)
        idle.append(connection)
        self.window.statuses[status] += 1
        latency = time.perf_counter() - due
        self.window.latencies.append(latency)
        self.window.by_kind[kind].append(latency)
        return status, answer

    # ----- pub/sub ------------------------------------------------------------------------------

    async def count_pubsub(self, redis_url: str, namespace: str) -> None:
        """Count every message published under the servers' namespace (what each api replica and
        engine receives through its one pattern subscription)."""
        client = redis.Redis.from_url(redis_url)
        pubsub = client.pubsub()
        await pubsub.psubscribe(f"{namespace}:*")
        try:
            async for message in pubsub.listen():
                if message["type"] == "pmessage":
                    self.window.pubsub_messages += 1
        finally:
            await pubsub.aclose()
            await client.aclose()

    # ----- WebSocket subscribers ----------------------------------------------------------------

    async def _subscriber(self, learner: Learner) -> None:
        url = learner.base.replace("http://", "ws://") + "/api/v1/ws"
        subscribe = orjson.dumps({"type": "subscribe", "channels": ["quotes:SPX", "orders"]})
        first = True
        while True:
            if learner.reopening:
                learner.reopening = False
            elif not first:
                self.window.ws_reconnects += 1
                await asyncio.sleep(0.5)
            first = False
            with contextlib.suppress(OSError, websockets.WebSocketException, TimeoutError):
                async with websockets.connect(
                    f"{url}?token={learner.token}", max_size=None, open_timeout=60
                ) as ws:
                    learner.socket = ws
                    await ws.send(subscribe.decode())
                    async for text in ws:
                        now = time.time()
                        message = orjson.loads(text)
                        if message.get("type") != "message":
                            continue
                        sent = datetime.fromisoformat(message["sent_at"]).timestamp()
                        self.window.ws_messages += 1
                        self.window.ws_latencies.append(now - sent)
            learner.socket = None
