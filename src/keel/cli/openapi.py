"""`keel openapi`: the API's OpenAPI document, from which the web app's client is generated."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from keel.cli import app


def openapi_document() -> dict[str, object]:
    from keel.server.app import create_app
    from keel.server.settings import Settings

    return create_app(Settings()).openapi()


def render(document: dict[str, object]) -> str:
    """Stable text: sorted keys, two-space indent, one final newline (a diff shows API changes)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@app.command("openapi")
def openapi(
    out: Path | None = typer.Option(None, "--out", help="Write here instead of printing."),
) -> None:
    """Print (or write) the API's OpenAPI document."""
    text = render(openapi_document())
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
