"""The `keel` command line: serve, db, users, check, regimes, backtest, sweep, …

Each sub-command lives in its own module of this package and is registered below.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="keel",
    help="Keel — an educational paper-trading platform that stays upright in volatile markets.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


def main() -> None:
    _register_commands()
    app()


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`; one line per module.
    from keel.cli import backtest, check, evaluate, openapi, regimes, scenarios, serve, train, users  # noqa: F401
