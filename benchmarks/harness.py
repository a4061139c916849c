"""Starting Keel the way the HTTP benchmarks do, in one place (orders_http, ws_fanout, soak).

- a scratch PostgreSQL database with the schema (`scratch_database`), dropped afterwards;
- real `keel serve` processes on 127.0.0.1 (`keel_serve`, `start_topology`): one `--role all`
  process, or one `--role engine` plus N `--role api` replicas on their own ports as behind a
  load balancer, mirroring the engine through Redis; `stop` ends them;
- learners registered and signed in over HTTP (`new_learner`, `register_learner`, `sign_in`,
  `sign_in_pair`);
- `KeepAlive`: one raw HTTP/1.1 keep-alive connection (httpx on the hot path cost as much CPU as
  the server it measured);
- each server's resident memory, its own (`rss_bytes`) and with its children's (`tree_rss_bytes`:
  backtest workers and their fork server), and its CPU time with its children's
  (`tree_cpu_seconds`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg

PASSWORD = "plum-Orbit-42-velvet"  # pragma: allowlist secret (throwaway benchmark learners)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def create_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def with_database(url: str, name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", url)


def async_url(admin_url: str, name: str) -> str:
    """SQLAlchemy's asyncpg URL of database `name` on the server of `admin_url`."""
    return with_database(admin_url, name).replace("postgresql://", "postgresql+asyncpg://", 1)


async def create_schema(database_url: str) -> None:
    from keel.server.db import create_engine
    from keel.server.migrate import upgrade

    engine = create_engine(database_url, pool_size=2)
    await upgrade(engine)
    await engine.dispose()


@contextlib.contextmanager
def scratch_database(admin_url: str, prefix: str = "keel_bench") -> Iterator[str]:
    """A fresh database with Keel's schema; yields its asyncpg URL, drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    create_database(admin_url, name)
    try:
        url = async_url(admin_url, name)
        asyncio.run(create_schema(url))
        yield url
    finally:
        drop_database(admin_url, name)


def server_env(database_url: str, var_dir: str, redis_url: str, **settings: str) -> dict[str, str]:
    """The servers' environment: the benchmarks' defaults, then `settings` (`replay_autostart=…`
    sets `KEEL_REPLAY_AUTOSTART`)."""
    env = {
        **os.environ,
        "KEEL_DATABASE_URL": database_url,
        "KEEL_REDIS_URL": redis_url,
        "KEEL_REDIS_NAMESPACE": f"keel-bench-{uuid.uuid4().hex[:8]}",
        "KEEL_ENVIRONMENT": "test",
        # Every order meets the same kind of quote: the feed is stepped once at start, and the
        # breakers judge every order but only record (measure mode), so no level changes mid-run.
        "KEEL_REPLAY_AUTOSTART": "false",
        "KEEL_BREAKER_MODE": "measure",
        "KEEL_VAR_DIR": var_dir,
        "KEEL_LOG_LEVEL": "WARNING",
        "KEEL_DEMO_USERS": "false",
        "KEEL_DATABASE_POOL_SIZE": "40",
        "KEEL_RATE_LIMIT_LEARNER": "100000000/minute",
        "KEEL_RATE_LIMIT_ANONYMOUS": "100000000/minute",
    }
    env.update({f"KEEL_{name.upper()}": value for name, value in settings.items()})
    return env


def keel_serve(
    env: dict[str, str], role: str, port: int, workers: int = 1
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from keel.cli import main; main()", "serve"]
    options = ["--role", role, "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen([*command, *options, "--workers", str(workers)], env=env)


def start_topology(
    topology: str, env: dict[str, str], api_replicas: int
) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    """Start the servers of `topology` (`single` or `split`); returns them (the engine first)
    and the base URLs that take requests, once every one answers `/readyz`."""
    if topology == "single":
        port = free_port()
        servers, bases = [keel_serve(env, "all", port)], [f"http://127.0.0.1:{port}"]
    else:
        engine_port = free_port()
        engine = keel_serve(env, "engine", engine_port)
        try:
            asyncio.run(wait_ready(f"http://127.0.0.1:{engine_port}"))  # engine state published
        except BaseException:
            stop([engine])
            raise
        ports = [free_port() for _ in range(api_replicas)]
        replicas = [keel_serve(env, "api", port) for port in ports]
        servers, bases = [engine, *replicas], [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            asyncio.run(wait_ready(base))
    except BaseException:
        stop(servers)
        raise
    return servers, bases


def stop(servers: list[subprocess.Popen[bytes]]) -> None:
    for server in reversed(servers):
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(1200):
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not become ready")


async def sign_in_pair(http: httpx.AsyncClient, email: str) -> dict[str, Any]:
    """The token pair for `email` (`access_token`, `refresh_token`, `expires_in`), retried while
    a fresh registration is not yet visible (the session dependency commits after the response
    is sent)."""
    for _ in range(50):
        login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        if login.status_code == 200:
            pair: dict[str, Any] = login.json()
            return pair
        await asyncio.sleep(0.05)
    raise RuntimeError(f"login refused: {login.status_code} {login.text}")


async def sign_in(http: httpx.AsyncClient, email: str) -> str:
    """An access token for `email` (see `sign_in_pair`)."""
    return str((await sign_in_pair(http, email))["access_token"])


async def new_learner(
    http: httpx.AsyncClient, index: int, starting_cash: str = "10000000"
) -> tuple[str, str, str]:
    """Register a learner with one account: (email, access token, account id)."""
    email, pair, account_id = await register_learner(http, index, starting_cash)
    return email, str(pair["access_token"]), account_id


async def register_learner(
    http: httpx.AsyncClient, index: int, starting_cash: str = "10000000"
) -> tuple[str, dict[str, Any], str]:
    """Register a learner with one account: (email, its sign-in's token pair, account id)."""
    email = f"bench-{index}-{uuid.uuid4().hex[:6]}@example.com"
    registered = await http.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": PASSWORD,
            "display_name": f"Bench {index}",
            "date_of_birth": "1985-01-01",
        },
    )
    registered.raise_for_status()
    pair = await sign_in_pair(http, email)
    account = await http.post(
        "/api/v1/accounts",
        json={"name": "bench", "starting_cash": starting_cash},
        headers={"Authorization": f"Bearer {pair['access_token']}"},
    )
    account.raise_for_status()
    await asyncio.sleep(0.1)  # see sign_in_pair: let the account's transaction commit
    return email, pair, str(account.json()["id"])


def encode_request(
    base: str, method: str, path: str, headers: dict[str, str], body: object = None
) -> bytes:
    """One HTTP/1.1 request as bytes (a JSON body when `body` is not None)."""
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {base.removeprefix('http://')}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    lines.append(f"Content-Length: {len(payload)}")
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


class KeepAlive:
    """One keep-alive HTTP/1.1 connection to `base`; `send` writes a request, reads the answer."""

    def __init__(self, base: str) -> None:
        self.host, port = base.removeprefix("http://").split(":")
        self.port = int(port)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """The response's status code and body."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        try:
            self.writer.write(request)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status, length, close = int(head[9:12]), 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding":
                    raise RuntimeError("chunked responses are not expected here")
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            body = await self.reader.readexactly(length)
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found.extend(int(child) for child in task.read_text().split())
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` alone (`VmRSS` from /proc), 0 once it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants (`VmRSS` from /proc), 0 once it is gone."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += rss_bytes(current)
        pending.extend(_children(current))
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of `pid` and its living descendants, from /proc (seconds)."""
    total, pending, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        pending.extend(_children(current))
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
