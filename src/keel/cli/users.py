"""`keel users create` (any role, admins included) and `keel users list`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from keel.cli import app
from keel.domain.clock import WallClock
from keel.domain.enums import Role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from keel.server.auth.models import User
    from keel.server.settings import Settings

users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")

T = TypeVar("T")


async def _with_session(work: Callable[[AsyncSession, Settings], Awaitable[T]]) -> T:
    """Migrate the configured database, then run `work(session, settings)` in one transaction."""
    from sqlalchemy.exc import DBAPIError

    from keel.server.db import create_engine, create_sessionmaker
    from keel.server.migrate import upgrade
    from keel.server.settings import get_settings

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            return await work(session, settings)
    except DBAPIError as exc:
        typer.secho(f"database error: {exc.orig}", fg=typer.colors.RED, err=True)
        typer.secho("is the schema there? run `keel db upgrade`", err=True)
        raise typer.Exit(code=2) from exc
    finally:
        await engine.dispose()


@users_app.command("create")
def create(
    email: str = typer.Option(..., help="Login email (stored lower-cased)."),
    role: Role = typer.Option(Role.LEARNER, help="learner | guardian | teacher | admin."),
    display_name: str = typer.Option("", help="Shown name (default: the email's local part)."),
    date_of_birth: str = typer.Option(
        ..., prompt="Date of birth (YYYY-MM-DD)", help="Under 18 makes a minor learner."
    ),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="Prompted when omitted."
    ),
) -> None:
    """Create a user of any role; the password is checked against the policy."""
    from keel.server.auth.service import create_user
    from keel.server.errors import ProblemError

    try:
        born = date.fromisoformat(date_of_birth)
    except ValueError as exc:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date-of-birth") from exc

    async def work(session: AsyncSession, settings: Settings) -> str:
        user = await create_user(
            session,
            settings,
            email=email,
            password=password,
            display_name=display_name or email.split("@", 1)[0],
            date_of_birth=born,
            role=role,
            now=WallClock().now(),
        )
        return user.id

    try:
        user_id = asyncio.run(_with_session(work))
    except ProblemError as exc:
        typer.secho(f"not created: {exc.detail}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    typer.secho(f"created {role.value} {email.strip().lower()} (id {user_id})", fg="green")


@users_app.command("list")
def list_users() -> None:
    """Every user: email, role, minor or not, 2FA on or off."""
    from sqlalchemy import select

    from keel.server.auth.models import User

    async def work(session: AsyncSession, settings: Settings) -> list[User]:
        result = await session.execute(select(User).order_by(User.created_at))
        return list(result.scalars())

    today = WallClock().now().date()
    table = Table("email", "role", "minor", "2FA", "created")
    for user in asyncio.run(_with_session(work)):
        table.add_row(
            user.email,
            user.role,
            "yes" if user.is_minor_on(today) else "",
            "on" if user.totp_enabled else "",
            user.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    Console().print(table)
