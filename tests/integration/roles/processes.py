"""Real `keel serve` processes for the role tests: free 127.0.0.1 ports, temp var dirs, logs kept.

Every process of one test shares a fresh PostgreSQL database and a Redis namespace of its own
(pub/sub channels ignore Redis database numbers, so a namespace keeps parallel tests apart).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.integration.auth.factories import STRONG_PASSWORD, unique_email
from tests.integration.roles.conftest import sync_dsn

START_TIMEOUT = 90.0
"""Seconds a process may take to answer /readyz (imports, store fill, warm-up on 2 busy cores)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """The shared configuration of one test's processes."""

    database_url: str
    redis_url: str
    root: Path
    namespace: str = field(default_factory=lambda: f"keel-test-{uuid.uuid4().hex[:8]}")
    processes: list[KeelProcess] = field(default_factory=list)

    def start(self, role: str, **env: str) -> KeelProcess:
        """Start `keel serve --role <role>` on a free port (returns at once)."""
        port = free_port()
        name = f"{role}-{len(self.processes)}"
        var_dir = self.root / name
        var_dir.mkdir(parents=True, exist_ok=True)
        variables = {
            **os.environ,
            "KEEL_DATABASE_URL": self.database_url,
            "KEEL_REDIS_URL": self.redis_url,
            "KEEL_REDIS_NAMESPACE": self.namespace,
            "KEEL_VAR_DIR": str(var_dir),
            "KEEL_ENVIRONMENT": "test",
            "KEEL_REPLAY_AUTOSTART": "false",
            "KEEL_BREAKER_MODE": "enforce",
            "KEEL_DEMO_USERS": "false",
            "KEEL_LOG_LEVEL": "WARNING",
            "KEEL_RATE_LIMIT_ANONYMOUS": "100000/minute",
            "KEEL_RATE_LIMIT_LEARNER": "100000/minute",
            "KEEL_RATE_LIMIT_ADMIN": "100000/minute",
            **env,
        }
        log = (self.root / f"{name}.log").open("wb")
        command = [sys.executable, "-c", "from keel.cli import main; main()", "serve"]
        popen = subprocess.Popen(
            [*command, "--role", role, "--host", "127.0.0.1", "--port", str(port)],
            env=variables,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process = KeelProcess(name, port, popen, self.root / f"{name}.log")
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            process.stop()


@dataclass
class KeelProcess:
    name: str
    port: int
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        wait_for(self.ready, timeout, lambda: f"{self.name} never became ready:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: the process dies without any cleanup (its connections just drop)."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition: Callable[[], Any], timeout: float, explain: Callable[[], str]) -> Any:
    """Poll `condition` until it returns something truthy; fail with `explain()` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(explain())


@contextmanager
def cluster_of(database_url: str, redis_url: str, root: Path) -> Iterator[Cluster]:
    cluster = Cluster(database_url, redis_url, root)
    try:
        yield cluster
    finally:
        cluster.stop_all()


def learner(
    http: httpx.Client, *, starting_cash: str = "100000", scenario_id: str | None = None
) -> tuple[dict[str, str], str]:
    """Register and log in a learner on `http`; their auth headers and a new account's id (in
    scenario `scenario_id`, the default when None)."""
    email = unique_email("roles")
    registered = http.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": STRONG_PASSWORD,
            "display_name": "Role Tester",
            "date_of_birth": "1988-04-12",
        },
    )
    assert registered.status_code == 201, registered.text
    login = wait_for(
        lambda: (
            (
                r := http.post(
                    "/api/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD}
                )
            ).status_code
            == 200
            and r
        ),
        10,
        lambda: f"login of {email} never succeeded",
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    wanted: dict[str, str] = {"name": "roles", "starting_cash": starting_cash}
    if scenario_id is not None:
        wanted = {"name": "roles", "scenario_id": scenario_id}
    account = http.post("/api/v1/accounts", json=wanted, headers=headers)
    assert account.status_code == 201, account.text
    account_id = str(account.json()["id"])
    # The session commits after the response is sent: wait until the account is readable.
    wait_for(
        lambda: http.get(f"/api/v1/accounts/{account_id}", headers=headers).status_code == 200,
        10,
        lambda: f"account {account_id} never became visible",
    )
    return headers, account_id


def market_buy(
    http: httpx.Client, headers: dict[str, str], account_id: str, symbol: str, quantity: str
) -> httpx.Response:
    body = {
        "account_id": account_id,
        "symbol": symbol,
        "side": "buy",
        "type": "market",
        "quantity": quantity,
        "time_in_force": "day",
    }
    return http.post("/api/v1/orders", json=body, headers=headers)


def admin_on(http: httpx.Client, database_url: str) -> dict[str, str]:
    """Register a user on `http`, promote them to admin in the database, log in."""
    email = unique_email("admin")
    registered = http.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": STRONG_PASSWORD,
            "display_name": "Role Admin",
            "date_of_birth": "1980-01-01",
        },
    )
    assert registered.status_code == 201, registered.text

    def promoted() -> bool:
        with psycopg.connect(sync_dsn(database_url), autocommit=True) as connection:
            cursor = connection.execute(
                "UPDATE users SET role = 'admin' WHERE email = %s", (email,)
            )
            return cursor.rowcount == 1

    wait_for(promoted, 10, lambda: f"{email} was never stored")
    login = http.post("/api/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}
