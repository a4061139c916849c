"""`KEEL_<NAME>_FILE`: any setting read from a file, the way container platforms hand out secrets.

Kubernetes and Compose mount a Secret as a file (`/run/secrets/jwt_secret`); pointing
`KEEL_JWT_SECRET_FILE` at it keeps the value out of the process environment. A plain `KEEL_<NAME>`
wins over its `_FILE` variant; one trailing newline is dropped (editors and `kubectl create secret
--from-file` leave one).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource


class SecretFilesSettingsSource(PydanticBaseSettingsSource):
    """Values of `<prefix><NAME>_FILE` variables, read from the files they name."""

    def __init__(self, settings_cls: type[BaseSettings], prefix: str) -> None:
        super().__init__(settings_cls)
        self.prefix = prefix.upper()

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        variable = f"{self.prefix}{field_name.upper()}_FILE"
        path = _environ_upper().get(variable)
        if not path:
            return None, field_name, False
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"{variable} names {path!r}, which cannot be read: {exc}") from exc
        return text.removesuffix("\n").removesuffix("\r"), field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field_name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, field_name)
            if value is not None:
                values[key] = value
        return values


def _environ_upper() -> dict[str, str]:
    return {name.upper(): value for name, value in os.environ.items()}
