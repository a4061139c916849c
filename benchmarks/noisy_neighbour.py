"""Another user's `GET /me` p99 while one learner abuses hashing or backtests, beside the quiet baseline.

    .venv/bin/python benchmarks/noisy_neighbour.py [--requests 300] [--noisy 4] [--only backtests]

Real argon2id cost (development settings, not the tests' cheap hasher), SQLite, the app served by
uvicorn in this process on a local port (real HTTP and WebSockets). Runs of `--requests`
sequential `GET /me` by the victim:
quiet; while one learner sends wrong-password `POST /auth/password` at its whole rate tier (600 a
minute, spread over `--noisy` clients; throttled after 5 wrong passwords: the answers are
printed); while new accounts are registered at the whole anonymous tier of one IP (60 a
minute: one argon2id hash each); while one learner uploads data files at its whole rate tier,
alternating the largest CSV an upload may carry (`KEEL_MAX_UPLOAD_BYTES`, 100,000 rows at most:
parsed and stored, 20 a minute; past the upload tier refused with 429) and a Parquet file of a
few KiB that declares 200,001 rows (refused before it is decoded); while one learner opens
WebSockets 20 times a second (20 times the handshake tier of one IP) and keeps the ones that
open (5 per user at most); and while
one learner submits backtests at its whole rate tier (ten years of SPX each, breakers on; past
10 queued or running they get 429), once with the jobs in worker processes (how Keel runs them)
and once in threads of the API process (how it ran them before), as the peer measured in the
same run. Issue 12's target: the victim's p99 stays under 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import socket
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import uvicorn
import websockets
from httpx import AsyncClient

from keel.server.app import create_app
from keel.server.backtests import jobs
from keel.server.backtests.work import MAX_DATASET_ROWS, execute
from keel.server.migrate import upgrade
from keel.server.runtime import Runtime
from keel.server.settings import Environment, Settings

PASSWORD = "plum-Orbit-42-velvet"  # pragma: allowlist secret (throwaway benchmark users)


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] * 1000


async def user(http: AsyncClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    registered = await http.post("/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "display_name": "Bench",
        "date_of_birth": "1980-01-01", "role": "learner"})  # fmt: skip
    assert registered.status_code == 201, registered.text
    login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def victim(http: AsyncClient, headers: dict[str, str], requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = await http.get("/api/v1/me", headers=headers)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text
    return times


async def paced(stop: asyncio.Event, every: float) -> None:
    """Wait `every` seconds (less when stopped)."""
    try:
        async with asyncio.timeout(every):
            await stop.wait()
    except TimeoutError:
        pass


async def wrong_password_changes(
    http: AsyncClient,
    headers: dict[str, str],
    stop: asyncio.Event,
    seen: Counter[int],
    every: float,
) -> None:
    body = {
        "current_password": "not-the-password-1",  # pragma: allowlist secret (wrong on purpose)
        "new_password": "copper-Lantern-19-mist",  # pragma: allowlist secret
    }
    while not stop.is_set():
        answer = await http.post("/api/v1/auth/password", json=body, headers=headers)
        seen[answer.status_code] += 1
        await paced(stop, every)


async def registrations(
    http: AsyncClient, stop: asyncio.Event, seen: Counter[int], every: float
) -> None:
    while not stop.is_set():
        email = f"noise-{uuid.uuid4().hex[:10]}@example.com"
        answer = await http.post("/api/v1/auth/register", json={
            "email": email, "password": PASSWORD, "display_name": "Noise",
            "date_of_birth": "1980-01-01", "role": "learner"})  # fmt: skip
        seen[answer.status_code] += 1
        await paced(stop, every)


async def backtests(
    http: AsyncClient,
    headers: dict[str, str],
    stop: asyncio.Event,
    seen: Counter[int],
    every: float,
) -> None:
    body = {"symbol": "SPX", "from": "1999-01-01", "to": "2008-08-29", "breakers": True}
    while not stop.is_set():
        answer = await http.post("/api/v1/backtests", json=body, headers=headers)
        seen[answer.status_code] += 1
        await paced(stop, every)


def upload_files(max_bytes: int) -> tuple[bytes, bytes]:
    """The biggest CSV a learner may upload (an upload holds at most `max_bytes` and
    `MAX_DATASET_ROWS` rows), and a Parquet file of a few KiB declaring 200,001 rows."""
    rows = min(max_bytes // 40, MAX_DATASET_ROWS - 1)  # a line is about 50 bytes: trimmed below
    days = pd.bdate_range("1990-01-01", periods=rows)
    prices = [100.0 + (i % 500) / 10 for i in range(rows)]
    frame = pd.DataFrame({"Date": days, "Open": prices, "High": [p + 1 for p in prices],
                          "Low": [p - 1 for p in prices], "Close": prices,
                          "Volume": [1000] * rows})  # fmt: skip
    csv = frame.to_csv(index=False, date_format="%Y-%m-%d").encode()
    csv = csv[: csv.rindex(b"\n", 0, max_bytes) + 1]
    bomb = io.BytesIO()
    pd.DataFrame(
        {"Date": [pd.Timestamp("2020-01-01")] * 200_001}
        | {column: [1.0] * 200_001 for column in ("Open", "High", "Low", "Close", "Volume")}
    ).to_parquet(bomb, compression="zstd", index=False)
    return csv, bomb.getvalue()


async def uploads(
    http: AsyncClient,
    headers: dict[str, str],
    stop: asyncio.Event,
    seen: Counter[int],
    every: float,
    files: list[bytes],
) -> None:
    turn = 0
    while not stop.is_set():
        name, body = ("big.csv", files[0]) if turn % 2 == 0 else ("bomb.parquet", files[1])
        answer = await http.put(f"/api/v1/backtests/datasets/{name}", content=body, headers=headers)
        seen[answer.status_code] += 1
        turn += 1
        await paced(stop, every)


async def sockets(
    ws_url: str, token: str, stop: asyncio.Event, seen: Counter[int], every: float
) -> None:
    """Open WebSockets and keep them open; count how each attempt ended (101 kept open, or the
    close code the server sent)."""
    kept = []
    try:
        while not stop.is_set():
            try:
                ws = await websockets.connect(ws_url, open_timeout=10)
                await ws.send(orjson.dumps({"type": "auth", "token": token}).decode())
                welcome = orjson.loads(await asyncio.wait_for(ws.recv(), 10))
                seen[101 if welcome.get("type") == "welcome" else 0] += 1
                kept.append(ws)
            except websockets.ConnectionClosed as closed:
                seen[closed.rcvd.code if closed.rcvd else 1006] += 1
            except websockets.InvalidStatus as refused:
                seen[refused.response.status_code] += 1
            await paced(stop, every)
    finally:
        for ws in kept:
            with contextlib.suppress(Exception):
                await ws.close()


def in_threads(spec: jobs.JobSpec, data: bytes | None, progress: object, _: object) -> object:
    """How jobs ran before: `execute` in a thread of the API process."""
    return execute(spec, data, progress)  # type: ignore[arg-type]


def noise_of(
    noise: str,
    http: AsyncClient,
    headers: dict[str, str],
    stop: asyncio.Event,
    seen: Counter[int],
    clients: int,
) -> Coroutine[Any, Any, None]:
    """One of `clients` noisy clients, each sending its share of the tier (learner 600/min,
    anonymous 60/min): the whole tier together, as the issue's attacker did."""
    learner_pace, anonymous_pace = clients / 10.0, clients / 1.0
    if noise == "password":
        return wrong_password_changes(http, headers, stop, seen, learner_pace)
    if noise == "register":
        return registrations(http, stop, seen, anonymous_pace)
    if noise == "uploads":
        return uploads(http, headers, stop, seen, learner_pace, UPLOADS)
    if noise == "sockets":
        ws_url = str(http.base_url.copy_with(scheme="ws", path="/api/v1/ws"))
        token = headers["Authorization"].removeprefix("Bearer ")
        return sockets(ws_url, token, stop, seen, clients / 20.0)  # 20× the handshake tier
    return backtests(http, headers, stop, seen, learner_pace)


NOISES = {
    "password": "wrong-password POST /auth/password",  # pragma: allowlist secret (a label)
    "register": "registrations (one argon2id hash each)",
    "uploads": "uploads (the largest CSV an upload may carry, then a 200,001-row Parquet bomb)",
    "sockets": "WebSocket opens, kept open",
    "backtests": "POST /backtests, jobs in worker processes",
    "backtests-in-threads": "POST /backtests, jobs in API threads (before)",
}


async def main(requests: int, noisy: int, only: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="keel-bench-"))
    settings = Settings(environment=Environment.DEVELOPMENT, var_dir=folder, log_level="ERROR",
                        demo_users=False, replay_autostart=False,
                        # The victim's 600+ reads a minute must not hit its own tier; the noisy
                        # learner paces itself to the default tier (600 a minute) instead.
                        rate_limit_learner="100000/minute")  # fmt: skip
    UPLOADS[:] = upload_files(settings.max_upload_bytes)
    runtime = Runtime.build(settings)
    await upgrade(runtime.database)
    await runtime.start()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime=runtime), host="127.0.0.1",
                                           port=port, log_config=None, access_log=False))  # fmt: skip
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event for it)
            await asyncio.sleep(0.05)
        async with AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            victim_headers = await user(http)
            # One fresh learner per noise (nothing queued, no throttle), registered up front:
            # the registrations' noise spends the anonymous tier of this one IP.
            noisy_users = {noise: await user(http) for noise in NOISES}
            await victim(http, victim_headers, 20)  # warm-up
            quiet = await victim(http, victim_headers, requests)
            print(f"quiet baseline: GET /me p99 {p99(quiet):.1f} ms "
                  f"(median {statistics.median(quiet) * 1000:.1f} ms)")  # fmt: skip
            for noise, label in NOISES.items():
                if only is not None and not noise.startswith(only):
                    continue
                noisy_headers = noisy_users[noise]
                jobs.run_job = in_threads if noise == "backtests-in-threads" else run_in_workers  # type: ignore[assignment]
                stop, seen = asyncio.Event(), Counter[int]()
                tasks = [
                    asyncio.create_task(noise_of(noise, http, noisy_headers, stop, seen, noisy))
                    for _ in range(noisy)
                ]
                await asyncio.sleep(0.2)
                loud = await victim(http, victim_headers, requests)
                stop.set()
                await asyncio.gather(*tasks)
                await cancel_all(http, noisy_headers)
                print(f"{noisy} clients sending {label}: GET /me p99 {p99(loud):.1f} ms "
                      f"(median {statistics.median(loud) * 1000:.1f} ms; quiet p99 "
                      f"{p99(quiet):.1f} ms); their answers {dict(sorted(seen.items()))}")  # fmt: skip
    finally:
        server.should_exit = True
        await serving
        await runtime.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


run_in_workers = jobs.run_job
UPLOADS: list[bytes] = []
"""The uploads noise's two files (made once the upload limit is known)."""


async def cancel_all(http: AsyncClient, headers: dict[str, str]) -> None:
    """Cancel the noisy learner's queued and running backtests and wait until none runs."""
    for status in ("queued", "running"):
        listed = await http.get(f"/api/v1/backtests?status={status}&limit=100", headers=headers)
        for job in listed.json():
            await http.delete(f"/api/v1/backtests/{job['id']}", headers=headers)
    for _ in range(300):  # at most a minute
        if not (await http.get("/api/v1/backtests?status=running", headers=headers)).json():
            return
        await asyncio.sleep(0.2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--noisy", type=int, default=4)
    parser.add_argument(
        "--only", choices=["password", "register", "uploads", "sockets", "backtests"], default=None
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.noisy, arguments.only))
