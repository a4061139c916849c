"""The OpenAPI document describes errors as they are sent: problem+json for every 4XX, and a
ValidationProblem (not FastAPI's default JSON body) for 422 — a schemathesis sweep finding.

Every problem `type` is `/problems/<code>`, a page this server serves: the source is read for
every code it can send, and each must be in `PROBLEM_TYPES` and have a page."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from httpx import AsyncClient
from jsonschema import Draft202012Validator

from keel.domain.errors import DomainError
from keel.server.errors import PROBLEM_JSON, PROBLEM_TYPES
from keel.server.problems.endpoints import render_page
from keel.server.problems.pages import PAGES
from tests.integration.auth.factories import create_user
from tests.integration.problem_codes import problem_codes_in_source


async def test_every_operation_documents_problem_details(client: AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    operations = [op for methods in document["paths"].values() for op in methods.values()]
    assert len(operations) > 40
    for operation in operations:
        responses = operation["responses"]
        assert PROBLEM_JSON in responses["4XX"]["content"]
        if "422" in responses:
            schema = responses["422"]["content"][PROBLEM_JSON]["schema"]
            assert schema == {"$ref": "#/components/schemas/ValidationProblem"}


async def test_a_real_validation_error_matches_the_documented_schema(client: AsyncClient) -> None:
    document = (await client.get("/api/v1/openapi.json")).json()
    response = await client.post("/api/v1/auth/register", json={"email": "not-an-email"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    # The root carries the components so the document's own `#/components/...` refs resolve.
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/ValidationProblem", "components": document["components"]}
    )
    assert list(validator.iter_errors(response.json())) == []


# ----- every problem type is a page the server serves -----------------------------------------


def _domain_error_codes() -> set[str]:
    import keel.server.app  # noqa: F401  (imports every module that may define a domain error)

    pending, codes = [DomainError], set()
    while pending:
        kind = pending.pop()
        codes.add(kind.code)
        pending.extend(kind.__subclasses__())
    return codes


def test_the_source_scan_sees_every_way_a_code_is_sent() -> None:
    found = problem_codes_in_source()
    assert {
        "unknown-symbol",  # ProblemError(status, "code", …)
        "insufficient-funds",  # a domain error's class attribute, GateDecision.refuse(code=…)
        "breaker-closed",  # a private helper's positional `code` parameter
        "guardian-rejected",  # a module constant passed as `code=`
        "order-rejected",  # `code = order.rejection_code or "order-rejected"`
        "invalid-text",  # problem_response in a middleware
        "method-not-allowed",  # the table of Starlette's HTTP errors
    } <= found


def test_a_code_without_a_page_fails(tmp_path: Path) -> None:
    (tmp_path / "feature.py").write_text(
        "def refuse():\n"
        '    raise ProblemError(422, "brand-new-refusal", "no")\n'
        "NEW = 'brand-new-constant'\n"
        "def gate(order):\n"
        "    return GateDecision.refuse('no', code=NEW)\n",
        encoding="utf-8",
    )
    found = problem_codes_in_source(tmp_path)
    assert found == {"brand-new-refusal", "brand-new-constant"}
    assert missing_pages(found) == ["brand-new-constant", "brand-new-refusal"]
    (tmp_path / "dynamic.py").write_text('code = f"http-{status}"\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="built at run time"):
        problem_codes_in_source(tmp_path)


def missing_pages(codes: set[str]) -> list[str]:
    return sorted(code for code in codes if code not in PROBLEM_TYPES or code not in PAGES)


def test_every_problem_the_api_can_send_has_a_status_and_a_page() -> None:
    sent = problem_codes_in_source() | _domain_error_codes()
    assert missing_pages(sent) == []
    assert set(PAGES) == set(PROBLEM_TYPES), "one page per code in the table, and no other"
    assert set(PROBLEM_TYPES) - sent == set(), "codes in the table that nothing sends any more"


@pytest.mark.parametrize("code", sorted(PAGES))
def test_a_page_is_plain_html_with_the_explanation(code: str) -> None:
    page = render_page(code)
    assert f'<p id="explanation">{html.escape(PAGES[code].text)}</p>' in page
    assert 'name="viewport"' in page and "<script" not in page
    assert len(PAGES[code].text) >= 60, "say what happened and what to do"


async def test_every_page_is_served(client: AsyncClient) -> None:
    for code, page in PAGES.items():
        response = await client.get(f"/problems/{code}")
        assert response.status_code == 200, code
        assert response.headers["content-type"].startswith("text/html"), code
        assert html.escape(page.text) in response.text, code
    index = await client.get("/problems")
    assert index.status_code == 200
    assert all(f'href="/problems/{code}"' in index.text for code in PAGES)


async def test_a_problem_type_links_to_its_page(client: AsyncClient) -> None:
    user = await create_user(client)
    refused = await client.get("/api/v1/orders/no-such-order", headers=user.headers)
    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/not-found"
    page = await client.get(refused.json()["type"])
    assert page.status_code == 200
    assert html.escape(PAGES["not-found"].text) in page.text
    unknown = await client.get("/problems/no-such-problem")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM_JSON
