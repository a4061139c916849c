"""The real platform for the browser tests: `keel serve --role all` on a free port, serving the
web app built into `web/dist`, on SQLite or on PostgreSQL + Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from tests.integration.conftest import IN_CI, PG_URL, REDIS_URL
from tests.integration.roles.processes import KeelProcess, free_port

REPO = Path(__file__).resolve().parents[2]
WEB_DIST = REPO / "web" / "dist"
SHOTS = REPO / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

# The default scenario replays a calm stretch (2006) fast: a market order fills within a second.
CALM_START = "2006-03-01"
SECONDS_PER_DAY = "1.5"


@dataclass
class Platform:
    process: KeelProcess
    backend: str
    env: dict[str, str]

    @property
    def base(self) -> str:
        return self.process.base

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30)

    def cli(self, *args: str) -> str:
        """Run `keel …` against this platform's database (users, scenarios)."""
        done = subprocess.run(
            [sys.executable, "-c", "from keel.cli import main; main()", *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@contextmanager
def postgres_database() -> Iterator[str]:
    base = make_url(PG_URL)
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"keel_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def platform(backend: str, root: Path) -> Iterator[Platform]:
    if not (WEB_DIST / "index.html").is_file():
        message = "web/dist is not built: `make test` builds it (make web-check) before pytest"
        if IN_CI:
            raise AssertionError(message)
        import pytest

        pytest.skip(message)
    with _database(backend, root) as database_url:
        env = {
            "KEEL_DATABASE_URL": database_url,
            "KEEL_VAR_DIR": str(root / backend),
            "KEEL_WEB_DIST": str(WEB_DIST),
            "KEEL_ENVIRONMENT": "test",
            "KEEL_DEMO_USERS": "false",
            "KEEL_BREAKER_MODE": "enforce",
            "KEEL_REPLAY_START": CALM_START,
            "KEEL_REPLAY_SECONDS_PER_DAY": SECONDS_PER_DAY,
            "KEEL_REPLAY_TICKS_PER_BAR": "20",
            "KEEL_LOG_LEVEL": "WARNING",
            "KEEL_RATE_LIMIT_ANONYMOUS": "100000/minute",
            "KEEL_RATE_LIMIT_LEARNER": "100000/minute",
            "KEEL_RATE_LIMIT_ADMIN": "100000/minute",
        }
        if backend == "postgresql":
            env["KEEL_REDIS_URL"] = REDIS_URL
            env["KEEL_REDIS_NAMESPACE"] = f"keel-e2e-{uuid.uuid4().hex[:8]}"
        (root / backend).mkdir(parents=True, exist_ok=True)
        port = free_port()
        log_path = root / f"{backend}.log"
        popen = subprocess.Popen(
            [
                *(sys.executable, "-c", "from keel.cli import main; main()", "serve"),
                *("--role", "all", "--host", "127.0.0.1", "--port", str(port)),
            ],
            env={**os.environ, **env},
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
        process = KeelProcess(f"e2e-{backend}", port, popen, log_path)
        try:
            process.wait_ready()
            yield Platform(process, backend, env)
        finally:
            process.stop()


@contextmanager
def _database(backend: str, root: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{(root / 'e2e.db').as_posix()}"
        return
    with postgres_database() as url:
        yield url
