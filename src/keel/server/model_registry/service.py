"""Use cases of the model registry."""

from __future__ import annotations

from keel.server.model_registry import repository
from keel.server.model_registry.schemas import ModelOut
from keel.server.objectstore import ObjectStore


async def list_models(store: ObjectStore, symbol: str | None) -> list[ModelOut]:
    """Every stored model (of one symbol when given), newest training data first."""
    found = await repository.list_metadata(store, symbol.upper() if symbol else None)
    models = [ModelOut.model_validate(item) for item in found]
    return sorted(models, key=lambda m: (m.symbol, m.data_to, m.version), reverse=True)
