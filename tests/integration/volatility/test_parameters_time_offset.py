"""Regression (OpenAPI sweep): the optimizer's `fitted_on_until` is an RFC 3339 date-time with an
offset, as its documented `format: date-time` requires (it was sent without one)."""

from __future__ import annotations

from datetime import datetime

from httpx import AsyncClient


async def test_fitted_on_until_carries_a_utc_offset(client: AsyncClient) -> None:
    response = await client.get("/api/v1/risk/parameters")
    assert response.status_code == 200, response.text
    body = response.json()
    stamps = [p["fitted_on_until"] for p in [body["current"], *body["per_regime"]]]
    fitted = [stamp for stamp in stamps if stamp is not None]
    assert fitted, "the warm-up history should be long enough to fit some regime"
    assert all(datetime.fromisoformat(stamp).utcoffset() is not None for stamp in fitted), fitted
