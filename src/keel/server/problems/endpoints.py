"""`/problems/<code>`: the page every problem+json `type` points to (plain HTML, no JavaScript).

Outside `/api/v1` and out of the OpenAPI document: these are pages for people, linked from the
`type` of every error the API sends.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from keel.server.errors import PROBLEM_PATH, PROBLEM_TYPES, ProblemError
from keel.server.problems.pages import PAGES

router = APIRouter(tags=["problems"], include_in_schema=False)

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;"
    "line-height:1.5;font-size:1.1rem;color:#222}code{font-size:.9em}a{color:#0645ad}"
)


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · Keel</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def render_page(code: str) -> str:
    """The HTML page of problem `code` (which must have a page)."""
    page = PAGES[code]
    status = PROBLEM_TYPES.get(code)
    body = (
        f"<h1>{escape(page.title)}</h1>\n"
        f'<p id="explanation">{escape(page.text)}</p>\n'
        f"<p><small>Problem type <code>{escape(code)}</code>"
        + (f", usually sent with HTTP status {status}" if status else "")
        + f'. <a href="{PROBLEM_PATH}">All problem types</a></small></p>'
    )
    return _document(page.title, body)


@router.get("/problems/", response_class=HTMLResponse)
@router.get("/problems", response_class=HTMLResponse)
async def problem_index() -> HTMLResponse:
    items = "\n".join(
        f'<li><a href="{PROBLEM_PATH}{escape(code)}">{escape(page.title)}</a> '
        f"<small><code>{escape(code)}</code></small></li>"
        for code, page in sorted(PAGES.items())
    )
    body = (
        "<h1>What Keel's error messages mean</h1>\n"
        "<p>Every error the Keel API sends has a <code>type</code> that links to one of these "
        "pages. Each page says what happened and what you can do.</p>\n"
        f"<ul>\n{items}\n</ul>"
    )
    return HTMLResponse(_document("Problem types", body))


@router.get("/problems/{code}", response_class=HTMLResponse)
async def problem_page(code: str) -> HTMLResponse:
    if code not in PAGES:
        raise ProblemError(404, "not-found", f"there is no problem type called {code!r}")
    return HTMLResponse(render_page(code))
