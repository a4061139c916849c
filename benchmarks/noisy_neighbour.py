"""Another user's `GET /me` p99 while one learner abuses hashing or backtests, beside the quiet baseline.

    .venv/bin/python benchmarks/noisy_neighbour.py [--requests 300] [--noisy 4] [--only backtests]

Real argon2id cost (development settings, not the tests' cheap hasher), SQLite, the app in process
(ASGI). Three runs of `--requests` sequential `GET /me` by the victim:
quiet; while one learner sends wrong-password `POST /auth/password` at its whole rate tier (600 a
minute, spread over `--noisy` clients; throttled after 5 wrong passwords: the answers are
printed); and while new accounts are registered at the whole anonymous tier of one IP (60 a
minute: one argon2id hash each); and while one learner submits backtests at its whole rate tier
(ten years of SPX each, breakers on; past 10 queued or running they get 429), once with the jobs
in worker processes (how Keel runs them) and once in threads of the API process (how it ran them
before), as the peer measured in the same run. Issue 12's target: the victim's p99 stays under
250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from httpx import ASGITransport, AsyncClient

from keel.server.app import create_app
from keel.server.backtests import jobs
from keel.server.backtests.work import execute
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


def in_threads(spec: jobs.JobSpec, data: bytes | None, progress: object, _: object) -> object:
    """How jobs ran before: `execute` in a thread of the API process."""
    return execute(spec, data, progress)  # type: ignore[arg-type]


NOISES = {
    "password": "wrong-password POST /auth/password",  # pragma: allowlist secret (a label)
    "register": "registrations (one argon2id hash each)",
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
    runtime = Runtime.build(settings)
    await upgrade(runtime.database)
    await runtime.start()
    try:
        transport = ASGITransport(app=create_app(runtime=runtime))
        async with AsyncClient(transport=transport, base_url="http://bench") as http:
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
                # Each of `noisy` clients sends its share of the tier (learner 600/min, anonymous
                # 60/min): the whole tier together, as the attacker did.
                tasks = [
                    asyncio.create_task(
                        wrong_password_changes(http, noisy_headers, stop, seen, noisy / 10.0)
                        if noise == "password"
                        else backtests(http, noisy_headers, stop, seen, noisy / 10.0)
                        if noise.startswith("backtests")
                        else registrations(http, stop, seen, noisy / 1.0)
                    )
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
        await runtime.stop()


run_in_workers = jobs.run_job


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
    parser.add_argument("--only", choices=["password", "register", "backtests"], default=None)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.noisy, arguments.only))
