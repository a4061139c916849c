"""The OpenAPI document describes errors as they are sent: problem+json for every 4XX, and a
ValidationProblem (not FastAPI's default JSON body) for 422 — a schemathesis sweep finding."""

from __future__ import annotations

from httpx import AsyncClient
from jsonschema import Draft202012Validator

from keel.server.errors import PROBLEM_JSON


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
