"""argon2id password hashing and the password policy.

Policy: at least 12 characters (at most 256), not a common password — also not one with a few digits
or symbols tacked on — not made of fewer than 4 distinct characters or almost only of sequences
(123456…, qwerty…, abcd…), and not containing the email address or its local part. The common-password list ships in `keel/server/data/`.

Hashing runs off the event loop: one argon2id hash takes tens of milliseconds of CPU and 64 MiB,
and on the loop it stalled every other request (a learner sending wrong passwords took another
user's p99 to seconds). The `*_off_loop` functions run it in `HASHING_WORKERS` threads (argon2
releases the GIL), so at most that many hashes run at once and the loop keeps serving.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache
from importlib.resources import files
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from keel.server.settings import Environment, Settings

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_PADDING = "0123456789!@#$%^&*()-_=+.,?~ "
_SEQUENCES = (
    "0123456789",
    "1234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)
_ADJACENT = frozenset(
    pair for seq in _SEQUENCES for a, b in pairwise(seq) for pair in ((a, b), (b, a))
)


def _characters_outside_sequences(password: str) -> int:
    """How many characters are not part of a run of 3+ alphabet, digit or keyboard neighbours
    (or repeats), e.g. "1234567890" or "qwerty" or "aaaa" contribute nothing."""
    text = password.lower()
    outside, run = 0, 1
    for index in range(1, len(text) + 1):
        linked = index < len(text) and (
            (text[index - 1], text[index]) in _ADJACENT or text[index - 1] == text[index]
        )
        if linked:
            run += 1
            continue
        if run < 3:
            outside += run
        run = 1
    return outside


@lru_cache(maxsize=4)
def _hasher(cheap: bool) -> PasswordHasher:
    if cheap:
        # TEST environment only: the smallest argon2id cost, so the suite hashes in microseconds.
        # Never used outside `Environment.TEST`.
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    # argon2-cffi's RFC 9106 "low memory" profile: argon2id, t=3, m=64 MiB, p=4.
    return PasswordHasher()


def password_hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher for these settings (cheap parameters under `KEEL_ENVIRONMENT=test`)."""
    return _hasher(settings.environment is Environment.TEST)


def hash_password(settings: Settings, password: str) -> str:
    return password_hasher(settings).hash(password)


def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`; never raises on a bad or foreign hash."""
    try:
        return password_hasher(settings).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(cheap: bool) -> str:
    return _hasher(cheap).hash("keel-timing-equaliser-not-a-password")


def burn_verification_time(settings: Settings) -> None:
    """Spend as long as a real verification, so an unknown email answers as slowly as a known one."""
    verify_password(settings, _dummy_hash(settings.environment is Environment.TEST), "x")


HASHING_WORKERS = 1
"""Threads hashing passwords at once (each argon2id hash holds 64 MiB while it runs)."""


@cache
def _hashing_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=HASHING_WORKERS, thread_name_prefix="keel-argon2")


async def hash_password_off_loop(settings: Settings, password: str) -> str:
    """`hash_password` in the bounded hashing pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_hashing_pool(), hash_password, settings, password)


async def verify_password_off_loop(settings: Settings, password_hash: str, password: str) -> bool:
    """`verify_password` in the bounded hashing pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        _hashing_pool(), verify_password, settings, password_hash, password
    )


async def burn_verification_time_off_loop(settings: Settings) -> None:
    """`burn_verification_time` in the bounded hashing pool."""
    await asyncio.get_running_loop().run_in_executor(
        _hashing_pool(), burn_verification_time, settings
    )


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = files("keel.server").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_policy_violations(password: str, email: str) -> list[str]:
    """Plain-words reasons why `password` is refused for the account `email` (empty when fine)."""
    reasons: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        reasons.append(f"use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        reasons.append(f"use at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    common = common_passwords()
    stripped = lowered.strip(_PADDING)
    if lowered in common or (len(stripped) >= 4 and stripped in common):
        reasons.append("this is one of the most common passwords; choose another")
    if len(set(lowered)) < 4:
        reasons.append("use more than three different characters")
    elif _characters_outside_sequences(password) < 4:
        reasons.append("avoid keyboard and alphabet sequences like 123456 or qwerty")
    email = email.strip().lower()
    local_part = email.split("@", 1)[0]
    if email and email in lowered:
        reasons.append("do not use your email address in your password")
    elif len(local_part) >= 3 and local_part in lowered:
        reasons.append("do not use the name of your email address in your password")
    return reasons
