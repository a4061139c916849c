"""PennyLane's wheel installs a top-level `tests` folder; it must never stand in for ours."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import tests

ROOT = Path(__file__).resolve().parents[3]


def test_tests_is_the_projects_package() -> None:
    assert Path(tests.__file__).resolve() == ROOT / "tests" / "__init__.py"
    assert [Path(p).resolve() for p in tests.__path__] == [ROOT / "tests"]


def test_from_another_folder_the_installed_one_is_no_regular_package(tmp_path: Path) -> None:
    # Run from elsewhere: only site-packages is on the path. PennyLane's folder has no
    # __init__.py, so it can only ever be a namespace package, which any regular `tests` wins over.
    code = "import importlib.util as u; s = u.find_spec('tests'); print(s.origin, list(s.submodule_search_locations or []))"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    origin = found.split()[0] if found.strip() else "None"
    assert origin == "None", f"a regular `tests` package is installed: {found}"
    spec = importlib.util.find_spec("tests.unit.models.test_no_shadowing")
    assert spec is not None and Path(str(spec.origin)).resolve() == Path(__file__).resolve()


def test_pytest_collects_only_the_projects_tests() -> None:
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/models/test_no_shadowing.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tests/unit/models/test_no_shadowing.py::test_tests_is_the_projects_package" in listed
    assert "site-packages" not in listed
