"""Pure helpers of the identity side: ages, password policy, backoff, tokens, TOTP steps, codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import jwt
import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keel.server.auth.models import age_on
from keel.server.auth.passwords import (
    common_passwords,
    hash_password,
    password_policy_violations,
    verify_password,
)
from keel.server.auth.throttle import BackoffPolicy, MemoryLoginThrottle
from keel.server.auth.tokens import (
    ACCESS_TOKEN,
    CHALLENGE_TOKEN,
    InvalidToken,
    decode_token,
    issue_access_token,
)
from keel.server.auth.twofactor import matching_totp_step, new_recovery_code, recovery_code_hash
from keel.server.guardians.service import invitation_code_hash, new_invitation_code
from keel.server.settings import Environment, Settings

SETTINGS = Settings(environment=Environment.TEST)
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2006, 3, 1), date(2024, 3, 1), 18),  # the 18th birthday itself
        (date(2006, 3, 2), date(2024, 3, 1), 17),  # the day before it
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday: not yet in a common year
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2024, 3, 1), date(2024, 3, 1), 0),
    ],
)
def test_age_on(born: date, today: date, age: int) -> None:
    assert age_on(born, today) == age


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 400))
def test_age_never_decreases_with_time(born: date, days: int) -> None:
    later = born + timedelta(days=days)
    assert age_on(born, later + timedelta(days=1)) >= age_on(born, later) >= 0


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("plum-Orbit-42-velvet", False),
        ("correct horse battery staple", False),
        ("short-1A", True),
        ("password1234", True),  # common word padded with digits
        ("1234567890123", True),  # a digit run
        ("qwertyuiopasdf", True),  # keyboard rows
        ("abcdefghijklmn!", True),
        ("Tr0ub4dor&3xyz", False),
        ("aaaaaaaaaaaaaaaa", True),
        ("my-ada.lovelace-pw!", True),  # contains the email's local part
        ("x" * 257 + "yz1", True),
    ],
)
def test_password_policy(password: str, refused: bool) -> None:
    assert bool(password_policy_violations(password, "Ada.Lovelace@example.com")) is refused


def test_the_shipped_common_password_list_is_large_and_lower_case() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= common
    assert all(word == word.lower() for word in common)


def test_argon2id_hash_round_trip() -> None:
    hashed = hash_password(SETTINGS, "plum-Orbit-42-velvet")
    assert hashed.startswith("$argon2id$")
    assert verify_password(SETTINGS, hashed, "plum-Orbit-42-velvet")
    assert not verify_password(SETTINGS, hashed, "plum-Orbit-42-velveT")
    assert not verify_password(SETTINGS, "not-a-hash", "anything")


@pytest.mark.parametrize(
    ("failures", "seconds"), [(4, 0.0), (5, 1.0), (6, 2.0), (9, 16.0), (40, 900.0)]
)
def test_backoff_doubles_and_is_capped(failures: int, seconds: float) -> None:
    assert BackoffPolicy(free_failures=5).lock_seconds(failures) == seconds


async def test_memory_throttle_locks_then_releases() -> None:
    clock = {"now": 1000.0}
    throttle = MemoryLoginThrottle(monotonic=lambda: clock["now"])
    policy = BackoffPolicy(free_failures=2, base_delay=10)
    await throttle.record_failure("k", policy)
    assert await throttle.retry_after(["k"]) == 0
    await throttle.record_failure("k", policy)
    assert await throttle.retry_after(["k", "other"]) == 10
    clock["now"] += 10
    assert await throttle.retry_after(["k"]) == 0
    await throttle.record_failure("k", policy)  # third failure within the window: 20 s
    assert await throttle.retry_after(["k"]) == 20
    await throttle.clear("k")
    assert await throttle.retry_after(["k"]) == 0


def test_token_expiry_follows_the_given_clock() -> None:
    token = issue_access_token(SETTINGS, user_id="u1", role="learner", version=3, now=NOW)
    claims = decode_token(SETTINGS, token, expected_use=ACCESS_TOKEN, now=NOW)
    assert (claims.user_id, claims.role, claims.version) == ("u1", "learner", 3)
    assert claims.expires_at - claims.issued_at == timedelta(minutes=15)
    later = NOW + timedelta(minutes=15)
    with pytest.raises(InvalidToken, match="expired"):
        decode_token(SETTINGS, token, expected_use=ACCESS_TOKEN, now=later)
    with pytest.raises(InvalidToken, match="wrong-token-kind"):
        decode_token(SETTINGS, token, expected_use=CHALLENGE_TOKEN, now=NOW)


def test_unsigned_tokens_are_refused() -> None:
    claims = {"sub": "u1", "role": "admin", "iat": 0, "exp": 2**31, "jti": "j"}
    unsigned = jwt.encode({**claims, "token_use": ACCESS_TOKEN}, key="", algorithm="none")
    with pytest.raises(InvalidToken):
        decode_token(SETTINGS, unsigned, expected_use=ACCESS_TOKEN, now=NOW)


def test_totp_accepts_one_step_of_drift_only() -> None:
    secret = pyotp.random_base32()
    step = int(NOW.timestamp()) // 30
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        assert matching_totp_step(secret, totp.at((step + offset) * 30), NOW) == step + offset
    stale = totp.at((step - 3) * 30)
    if stale not in {totp.at((step + k) * 30) for k in (-1, 0, 1)}:
        assert matching_totp_step(secret, stale, NOW) is None
    assert matching_totp_step(secret, "12345", NOW) is None
    assert matching_totp_step(secret, "abcdef", NOW) is None


def test_codes_have_their_format_and_hash_loosely() -> None:
    recovery = new_recovery_code()
    assert len(recovery) == 19 and recovery.count("-") == 3
    assert recovery_code_hash(recovery) == recovery_code_hash(recovery.lower().replace("-", " "))
    invitation = new_invitation_code()
    assert len(invitation) == 11 and invitation[5] == "-"
    assert invitation_code_hash(invitation) == invitation_code_hash(invitation.lower())
    assert len({new_recovery_code() for _ in range(200)}) == 200
