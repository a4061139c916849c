"""`KEEL_<NAME>_FILE` reads a setting from a file (a mounted Secret); the plain variable wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from keel.server.settings import Environment, Settings

SECRET = "a-jwt-secret-from-a-mounted-file-0123456789"  # pragma: allowlist secret


def test_a_setting_comes_from_the_file_its_file_variable_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jwt").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "s3").write_text("s3-secret", encoding="utf-8")
    monkeypatch.setenv("KEEL_JWT_SECRET_FILE", str(tmp_path / "jwt"))
    monkeypatch.setenv("keel_s3_secret_access_key_file", str(tmp_path / "s3"))
    settings = Settings()
    assert settings.jwt_secret == SECRET  # the trailing newline dropped
    assert settings.s3_secret_access_key is not None
    assert settings.s3_secret_access_key.get_secret_value() == "s3-secret"
    assert "s3-secret" not in repr(settings)


def test_the_plain_variable_wins_and_production_still_refuses_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jwt").write_text(SECRET, encoding="utf-8")
    monkeypatch.setenv("KEEL_JWT_SECRET_FILE", str(tmp_path / "jwt"))
    monkeypatch.setenv("KEEL_JWT_SECRET", "x" * 40)
    assert Settings().jwt_secret == "x" * 40
    monkeypatch.delenv("KEEL_JWT_SECRET")
    monkeypatch.setenv("KEEL_JWT_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match=r"KEEL_JWT_SECRET_FILE names .* cannot be read"):
        Settings()
    monkeypatch.delenv("KEEL_JWT_SECRET_FILE")
    with pytest.raises(ValueError, match="KEEL_JWT_SECRET"):
        Settings(environment=Environment.PRODUCTION)
