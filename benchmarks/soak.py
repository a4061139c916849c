"""Soak: mixed learner traffic at 70 % of the measured capacity, per minute, on PostgreSQL + Redis.

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--share 0.7] [--api-replicas 2]
        [--learners 100] [--step-seconds 15] [--start-rate 10] [--rate R]
        [--access-token-minutes 15]
        [--admin-url postgresql://postgres@127.0.0.1:5432/postgres] [--redis-url redis://…]

What it does:
1. a scratch database; one `keel serve --role engine` and `--api-replicas` `--role api` processes
   (benchmarks/harness.py, as orders_http.py starts them) with `KEEL_ENVIRONMENT=production`: real
   argon2id password hashing, the replay running at its default speed, breakers judging every
   order in measure mode (as the other benchmarks: a 2008 replay would otherwise close the market
   mid-run), rate limits lifted (every simulated learner comes from 127.0.0.1);
2. registers `--learners` learners with one account each and opens one WebSocket per learner;
   their sessions are spread over time (soak_traffic.py): each signs in first at its own random
   moment, then refreshes its access token before it expires (`POST /auth/refresh`, jittered),
   so no two learners' renewals line up;
3. **capacity**: a ramp of `--step-seconds` steps of the mix (benchmarks/soak_traffic.py), from
   `--start-rate` orders/s up by half each step, then two bisections between the last sustained
   step and the first that was not (on a log scale: the capacity known to within about 11 %); a
   step is *sustained* when it placed at least 95 % of the orders it offered, the orders' p99
   stayed under 1 s, nothing answered 5xx, nothing failed to connect and nothing was shed, and *within the SLO* when that p99 was also under 250 ms (the
   order latency SLO); the capacity is the best sustained step's placed orders/s (the best
   within the SLO is printed beside it);
4. **soak**: the mix at `--share` of that capacity for `--minutes`, printing per minute the
   requests, answers by status (5xx apart), p50/p99 latency (all requests; orders apart),
   WebSocket messages and their p99 (receive time minus `sent_at`), the pub/sub messages per
   second under the servers' Redis namespace (what every replica receives), each server's own
   RSS and its children's (backtest workers, which come and go with jobs, and their fork server), the load average and this load generator's CPU; then the database's
   growth per order placed, the latency of each kind of request, and the replicas' own WebSocket
   delivery figures from their `/metrics` (the SLO's histogram and counters);
5. the verdicts: total 5xx (target 0); p99 flat (the rule: the least-squares line through the
   per-minute p99s rises over the run by less than 25 % of their median); RSS growth of each
   server process (target < 5 %): the rise of the least-squares line through its RSS, read every
   5 s, over the line's start (one reading at the end would judge whatever a request had just
   allocated), with the first and last reading and the range beside it; the children's apart.

Everything shares the machine: PostgreSQL, Redis, the servers and this load generator (its CPU is
printed); on a machine shared with other work, read each figure beside its load average. The
server's autovacuum setting is printed first: with it off (as on some development machines) no
dead row is reclaimed and no statistics are gathered during the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time

import httpx
import psycopg
from cryptography.fernet import Fernet

from harness import (
    PASSWORD,
    percentile,
    register_learner,
    rss_bytes,
    scratch_database,
    server_env,
    start_topology,
    stop,
    tree_cpu_seconds,
    tree_rss_bytes,
)
from soak_report import MIB, delivery_slo, line_fit, load, minute_line, ms, verdicts
from soak_traffic import (
    REFRESH_AT,
    REQUESTS_PER_ORDER,
    Learner,
    Traffic,
    Window,
)

RSS_SAMPLE_SECONDS = 5.0
"""How often the soak reads each server's RSS; the growth verdict fits a line through them all."""
SLO_ORDER_P99_S = 0.25
"""The order latency SLO (docs/operations.md): p99 under 250 ms."""
SUSTAINED_ORDER_P99_S = 1.0
"""A step whose orders' p99 passes a second is not sustained, whatever it placed."""
TARGET_PLACED_SHARE = 0.95
RAMP_STEPS = 10
BISECTIONS = 2
"""Steps between the last sustained rate and the first that was not (each halves the gap on a
log scale): from a factor of 1.5 to 1.5 ** (1 / 4), about 11 %, so the soak's share is a share of
what the servers carry, not of the ramp's coarse step below it."""


async def register(bases: list[str], count: int) -> list[Learner]:
    """`count` learners, spread over the replicas (round-robin), a few registrations at a time."""
    gate = asyncio.Semaphore(4)

    async def one(index: int) -> Learner:
        base = bases[index % len(bases)]
        async with gate, httpx.AsyncClient(base_url=base, timeout=120) as http:
            email, pair, account_id = await register_learner(http, index)
        token, refresh_token = str(pair["access_token"]), str(pair["refresh_token"])
        return Learner(email, token, refresh_token, account_id, base, float(pair["expires_in"]))

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def step(
    traffic: Traffic, rate: float, seconds: float, api_pids: list[int]
) -> tuple[Window, float, float]:
    """One ramp step at `rate` orders/s: its window, the orders placed per second and the api
    replicas' CPU (cores: CPU seconds per wall second, all replicas together)."""
    traffic.window = window = Window()
    before, wall = sum(tree_cpu_seconds(pid) for pid in api_pids), time.perf_counter()
    await traffic.drive(rate, seconds)
    cores = (sum(tree_cpu_seconds(pid) for pid in api_pids) - before) / (time.perf_counter() - wall)
    await traffic.drain(10.0)
    traffic.window = Window()
    return window, window.orders_placed / seconds, cores


def sustained(window: Window, rate: float, placed: float) -> bool:
    """The step kept up: its orders placed, latency bounded, no 5xx, nothing lost."""
    fives = sum(n for status, n in window.statuses.items() if status >= 500)
    return (
        placed >= TARGET_PLACED_SHARE * rate
        and bool(window.order_latencies)
        and percentile(window.order_latencies, 0.99) < SUSTAINED_ORDER_P99_S
        and fives == 0
        and window.connection_errors == 0
        and window.shed == 0
    )


async def ramp(
    traffic: Traffic, start: float, seconds: float, api_pids: list[int]
) -> tuple[float, float]:
    """The highest placed orders/s of a sustained step, and of one within the order latency
    SLO too (0 when none)."""
    print(f"capacity ramp: {seconds:.0f} s per step, up by half each step, then {BISECTIONS} "
          f"bisections between the last sustained step and the first that was not; a step is "
          f"sustained with >= {TARGET_PLACED_SHARE:.0%} of its orders placed, order p99 < "
          f"{1000 * SUSTAINED_ORDER_P99_S:.0f} ms, no 5xx, no failed connection, nothing shed; "
          f"within the SLO when the order p99 is also < {1000 * SLO_ORDER_P99_S:.0f} ms")  # fmt: skip
    print("  offered/s  placed/s  order p50/p99 ms   5xx  conn  shed  sustained  SLO  api CPU  "
          "load 1/5/15")  # fmt: skip
    best, best_slo, passed_rate, failed_rate, rate = 0.0, 0.0, 0.0, 0.0, start
    cpu_points: list[tuple[float, float]] = []

    async def measured(rate: float) -> bool:
        nonlocal best, best_slo
        window, placed, cores = await step(traffic, rate, seconds, api_pids)
        held = sustained(window, rate, placed)
        slo = held and percentile(window.order_latencies, 0.99) < SLO_ORDER_P99_S
        fives = sum(n for status, n in window.statuses.items() if status >= 500)
        print(f"  {rate:9.1f}  {placed:8.1f}  {ms(window.order_latencies, 0.5)} / "
              f"{ms(window.order_latencies, 0.99)}  {fives:4d}  {window.connection_errors:4d}  "
              f"{window.shed:4d}  {'yes' if held else 'NO':9s}  {'yes' if slo else 'no ':3s}  "
              f"{100 * cores:5.0f} %  {load()}", flush=True)  # fmt: skip
        cpu_points.append((placed, cores))  # CPU per order holds whether the step held or not
        if held:
            best = max(best, placed)
        if slo:
            best_slo = max(best_slo, placed)
        if not held:
            await traffic.drain(30.0)  # let an overloaded step's backlog clear
        return held

    for _ in range(RAMP_STEPS):
        if await measured(rate):
            passed_rate, rate = rate, rate * 1.5
        elif passed_rate:
            failed_rate = rate
            break
        elif rate / 2 < 1:
            break
        else:
            rate /= 2  # the first step was already too much: come down
    for _ in range(BISECTIONS if passed_rate and failed_rate else 0):
        middle = (passed_rate * failed_rate) ** 0.5
        if await measured(middle):
            passed_rate = middle
        else:
            failed_rate = middle
    if len(cpu_points) >= 2:
        idle, per_order = line_fit(cpu_points)
        print(f"api replicas' CPU over the ramp's steps (least squares): {100 * idle:.0f} % of "
              f"a core + {1000 * per_order:.1f} ms per order placed (with its share of the mix); "
              f"the first part holds {len(traffic.learners)} WebSockets and the mirror")  # fmt: skip
    return best, best_slo


def sign_in_cpu_ms(repeats: int = 5) -> float:
    """CPU milliseconds of one argon2id verification with production's parameters (every
    sign-in costs one), measured in this process."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()  # keel.server.auth.passwords: production's hasher
    stored = hasher.hash(PASSWORD)
    started = time.process_time()
    for _ in range(repeats):
        hasher.verify(stored, PASSWORD)
    return 1000 * (time.process_time() - started) / repeats


def autovacuum_note(admin_url: str) -> str:
    """Whether PostgreSQL's autovacuum runs: without it no table's dead rows are reclaimed and no
    statistics are gathered during the run, which no production server does (it is on by
    default), so latency may grow with what the soak stores."""
    with psycopg.connect(admin_url) as connection:
        row = connection.execute("SHOW autovacuum").fetchone()
    state = row[0] if row else "unknown"
    if state == "on":
        return "PostgreSQL autovacuum: on"
    return (f"PostgreSQL autovacuum: {state} on this server (production's default is on): dead "
            "rows and planner statistics pile up over the run, so read growing latency with that")  # fmt: skip


def database_bytes(database_url: str) -> int:
    plain = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    with psycopg.connect(plain) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


async def soak(
    traffic: Traffic, servers: list[subprocess.Popen[bytes]], names: list[str], rate: float,
    args: argparse.Namespace,
) -> tuple[list[Window], list[list[int]]]:  # fmt: skip
    """Drive `rate` orders/s for `args.minutes`, one line per minute; the windows and the
    servers' RSS samples (at the start, then every `RSS_SAMPLE_SECONDS`)."""
    minutes, size = args.minutes, database_bytes(args.database_url)
    baseline = [rss_bytes(server.pid) for server in servers]
    print(f"soak: {rate:.1f} orders/s ({rate * REQUESTS_PER_ORDER:.0f} requests/s) for "
          f"{minutes} min; RSS at start " + ", ".join(
              f"{name} {rss / MIB:.0f} MiB" for name, rss in zip(names, baseline, strict=True))
          + f"; their children {children_rss(servers) / MIB:.0f} MiB")  # fmt: skip
    print("  min  requests  2xx  4xx by status         5xx  conn  p50 ms  p99 ms  order p99  "
          "ws msgs  ws p99 ms  pub/sub/s  RSS MiB " + "/".join(names) + " +children  CPU % "
          + "/".join(names) + "  load 1/5/15  client CPU")  # fmt: skip
    probe = sign_in_cpu_ms()
    windows, rss = [], baseline
    first_cpu = cpu = [tree_cpu_seconds(server.pid) for server in servers]
    started = time.perf_counter()
    samples: list[list[int]] = [baseline]
    sampling = asyncio.create_task(sample_rss(servers, samples))
    for minute in range(1, minutes + 1):
        traffic.window = window = Window()
        client, wall = time.process_time(), time.perf_counter()
        await traffic.drive(rate, 60.0)
        windows.append(window)
        rss = [rss_bytes(server.pid) for server in servers]
        now = [tree_cpu_seconds(server.pid) for server in servers]
        wall = time.perf_counter() - wall
        shares = [(after - before) / wall for before, after in zip(cpu, now, strict=True)]
        cpu = now
        print(minute_line(minute, window, rss, children_rss(servers), shares,
                          (time.process_time() - client) / wall), flush=True)  # fmt: skip
    sampling.cancel()
    print(f"this machine's speed: one argon2id verification took {probe:.0f} ms of CPU before the "
          f"soak and {sign_in_cpu_ms():.0f} ms after it (a virtual machine's CPU can slow down "
          "under its host's load; the latency figures move with it)")  # fmt: skip
    print(f"the servers' children at the end: {children_rss(servers) / MIB:.0f} MiB (backtest "
          "workers come and go with the jobs; the verdicts below are the servers' own RSS)")  # fmt: skip
    elapsed, placed = time.perf_counter() - started, sum(w.orders_placed for w in windows)
    used = [after - before for before, after in zip(first_cpu, cpu, strict=True)]
    print(f"server CPU over the soak: engine {100 * used[0] / elapsed:.0f} % of a core; api "
          f"replicas {1000 * sum(used[1:]) / max(placed, 1):.1f} ms of CPU per order placed (the "
          f"mix's other {REQUESTS_PER_ORDER - 1:.2f} requests per order and the sockets "
          f"included)")  # fmt: skip
    traffic.window = Window()
    await traffic.drain(10.0)
    grown = database_bytes(args.database_url) - size
    print(f"database: {size / MIB:.0f} -> {(size + grown) / MIB:.0f} MiB over the soak, "
          f"{grown / max(placed, 1) / 1024:.1f} KiB per order placed (every row of the mix, "
          f"indexes included)")  # fmt: skip
    return windows, samples


async def sample_rss(servers: list[subprocess.Popen[bytes]], samples: list[list[int]]) -> None:
    """Each server's own RSS every `RSS_SAMPLE_SECONDS`, appended to `samples` until cancelled."""
    while True:
        await asyncio.sleep(RSS_SAMPLE_SECONDS)
        samples.append([rss_bytes(server.pid) for server in servers])


def children_rss(servers: list[subprocess.Popen[bytes]]) -> int:
    """Resident memory of the servers' children together: backtest workers (one per running job)
    and the fork server that starts them."""
    return sum(tree_rss_bytes(server.pid) - rss_bytes(server.pid) for server in servers)


async def run(bases: list[str], servers: list[subprocess.Popen[bytes]],
              args: argparse.Namespace) -> None:  # fmt: skip
    names = ["engine", *(f"api{i + 1}" for i in range(len(bases)))]
    learners = await register(bases, args.learners)
    traffic = Traffic(learners, PASSWORD)
    spread, lifetime = traffic.start(), learners[0].lifetime
    print(f"sessions: {len(learners)} learners sign in first at moments spread over the next "
          f"{spread:.0f} s, then refresh their {lifetime / 60:.0f}-minute "
          f"access tokens after {REFRESH_AT[0]:.0%}-{REFRESH_AT[1]:.0%} of their lifetime "
          f"(jitter); their sockets reconnect as their tokens expire")  # fmt: skip
    counter = asyncio.create_task(traffic.count_pubsub(args.redis_url, args.namespace))
    try:
        await asyncio.sleep(5.0)  # the sockets connect and subscribe before anything is timed
        if args.rate:
            capacity, within_slo = args.rate / args.share, 0.0
            print(f"no ramp: --rate {args.rate} orders/s given")
        else:
            api_pids = [server.pid for server in servers[1:]]
            capacity, within_slo = await ramp(traffic, args.start_rate, args.step_seconds, api_pids)
        print(f"capacity: {capacity:.1f} orders/s sustained ({capacity * REQUESTS_PER_ORDER:.0f} "
              f"requests/s of the mix), {within_slo:.1f} orders/s within the order latency SLO; "
              f"load {load()}")  # fmt: skip
        if not capacity:
            print("no ramp step passed: nothing to soak at", file=sys.stderr)
            return
        windows, samples = await soak(traffic, servers, names, args.share * capacity, args)
    finally:
        counter.cancel()
        await traffic.stop()
    verdicts(windows, names, samples)
    print(delivery_slo(bases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.7)
    parser.add_argument("--api-replicas", type=int, default=2)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--step-seconds", type=float, default=15.0)
    parser.add_argument("--start-rate", type=float, default=10.0)
    parser.add_argument("--rate", type=float, help="skip the ramp: soak at this many orders/s")
    parser.add_argument(
        "--access-token-minutes", type=int, default=15,
        help="the servers' access token lifetime (production's default: 15); a short run with a "
        "short lifetime goes through several rounds of sign-ins, refreshes and reconnects",
    )  # fmt: skip
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    print(f"load average at start {load()} on {os.cpu_count()} CPUs; one sign-in's argon2id "
          f"verification takes {sign_in_cpu_ms():.0f} ms of CPU (its threads together)")  # fmt: skip
    print(autovacuum_note(args.admin_url))
    with (
        scratch_database(args.admin_url, "keel_soak") as database_url,
        tempfile.TemporaryDirectory(prefix="keel-soak-") as var_dir,
    ):
        args.database_url = database_url
        env = server_env(
            database_url, var_dir, args.redis_url,
            environment="production", jwt_secret=secrets.token_urlsafe(48),
            encryption_keys=Fernet.generate_key().decode(), replay_autostart="true",
            database_pool_size="20", access_token_minutes=str(args.access_token_minutes),
        )  # fmt: skip
        args.namespace = env["KEEL_REDIS_NAMESPACE"]
        servers, bases = start_topology("split", env, args.api_replicas)
        try:
            asyncio.run(run(bases, servers, args))
        finally:
            stop(servers)
    print(f"load average at the end {load()}")


if __name__ == "__main__":
    main()
