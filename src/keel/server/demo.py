"""Demo users on first start: a learner, a guardian linked to a minor, and an admin.

Runs as a start hook when `settings.demo_users` is on and the users table is empty. Passwords are
random and printed once, in a box on stdout; they are stored only as argon2id hashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import structlog
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from sqlalchemy.exc import DBAPIError

from keel.domain.enums import Role
from keel.server.auth import repository as users
from keel.server.auth.models import User
from keel.server.auth.passwords import password_policy_violations
from keel.server.auth.service import create_user
from keel.server.errors import ProblemError
from keel.server.guardians.service import create_invitation, redeem_invitation
from keel.server.runtime import Runtime
from keel.server.settings import Environment

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class DemoUser:
    label: str
    email: str
    password: str
    role: Role
    years_old: int
    note: str


def random_password() -> str:
    """16 URL-safe random characters (96 bits) that pass the password policy."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if not password_policy_violations(candidate, "demo@example.com"):
            return candidate


def _birth_date(today: date, years_old: int) -> date:
    return date(today.year - years_old, 1, 1)


def demo_cast() -> list[DemoUser]:
    return [
        DemoUser("learner", "learner@example.com", random_password(), Role.LEARNER, 30, ""),
        DemoUser("guardian", "guardian@example.com", random_password(), Role.GUARDIAN, 42,
                 "linked to the minor below"),
        DemoUser("minor", "minor@example.com", random_password(), Role.LEARNER, 14,
                 "orders wait for the guardian"),
        DemoUser("admin", "admin@example.com", random_password(), Role.ADMIN, 38, ""),
    ]  # fmt: skip


async def create_demo_users(runtime: Runtime) -> list[DemoUser]:
    """Create the demo cast if there are no users at all; returns who was created (maybe nobody)."""
    now = runtime.clock.now()
    cast = demo_cast()
    async with runtime.sessionmaker() as session, session.begin():
        if await users.count_users(session) > 0:
            return []
        created: dict[str, User] = {}
        for person in cast:
            created[person.label] = await create_user(
                session,
                runtime.settings,
                email=person.email,
                password=person.password,
                display_name=f"Demo {person.label}",
                date_of_birth=_birth_date(now.date(), person.years_old),
                role=person.role,
                now=now,
            )
        invitation = await create_invitation(session, created["guardian"], now=now)
        await redeem_invitation(session, created["minor"], invitation.code, now=now)
    return cast


def print_demo_users(cast: list[DemoUser], console: Console | None = None) -> None:
    """Show the demo credentials once, in a box."""
    table = Table(show_header=True, header_style="bold", expand=False)
    for column in ("who", "email", "password", "note"):
        table.add_column(column)
    for person in cast:
        table.add_row(person.label, person.email, person.password, person.note)
    (console or Console()).print(
        Panel(
            table,
            title="Keel demo users — shown once, write them down",
            subtitle="open the web app at / and sign in with one of these",
        )
    )


async def demo_users_on_first_start(runtime: Runtime) -> None:
    """Create and print the demo users on an empty database (`KEEL_DEMO_USERS`); never in
    production, whatever the setting (known emails and an admin password in the log)."""
    if not runtime.settings.demo_users:
        return
    if runtime.settings.environment is Environment.PRODUCTION:
        log.info("demo users are never created in production")
        return
    try:
        cast = await create_demo_users(runtime)
    except DBAPIError as exc:  # no schema yet: `keel db upgrade` has not run
        log.warning("demo users not created", error=str(exc.orig))
        return
    except ProblemError as exc:  # another replica created them at the same moment
        log.info("demo users not created", reason=exc.detail)
        return
    if cast:
        print_demo_users(cast)
