"""All storage of trained models: the object store (no SQL), under ``models/<symbol>/<version>/``."""

from __future__ import annotations

from typing import Any

from keel.models.artifact import dump_metadata, load_metadata
from keel.server.objectstore import ObjectStore

PREFIX = "models/"
METADATA = "metadata.json"
MODEL = "model.pkl"


def model_keys(symbol: str, version: str) -> tuple[str, str]:
    """Object-store keys of a model's bytes and of its metadata."""
    return f"{PREFIX}{symbol}/{version}/{MODEL}", f"{PREFIX}{symbol}/{version}/{METADATA}"


async def save_model(
    store: ObjectStore, symbol: str, version: str, model: bytes, metadata: dict[str, Any]
) -> str:
    """Store the model, then its metadata (which makes it visible); returns the metadata key."""
    model_key, metadata_key = model_keys(symbol, version)
    await store.put(model_key, model, "application/octet-stream")
    await store.put(metadata_key, dump_metadata(metadata), "application/json")
    return metadata_key


async def load_model_bytes(store: ObjectStore, symbol: str, version: str) -> bytes:
    return await store.get(model_keys(symbol, version)[0])


async def list_metadata(store: ObjectStore, symbol: str | None = None) -> list[dict[str, Any]]:
    """The metadata of every stored model (of `symbol` only when given)."""
    prefix = f"{PREFIX}{symbol}/" if symbol else PREFIX
    found = []
    for info in await store.list(prefix):
        if info.key.endswith(f"/{METADATA}"):
            found.append(load_metadata(await store.get(info.key)))
    return found
