"""`make security` fails on a finding: each tool is shown a planted one (in a scratch copy,
never in the tree) and must refuse it; the tree itself passes. semgrep's own rule tests
(`deploy/security/semgrep.py`, run by `make security`) show each Keel rule catching its cases."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.deploy.tools import DEPLOY, ROOT, TOOLS_BIN, require

PLANTED = """
import subprocess
import structlog
from sqlalchemy import text

log = structlog.get_logger()


def handler(connection, name, password):
    subprocess.call("ls " + name, shell=True)
    connection.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
    log.info("login", password=password)
    return eval(name)
"""


def exit_code(*command: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, cwd=ROOT, timeout=300,
        check=False, env=env,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_bandit_refuses_planted_code_and_passes_the_tree(tmp_path: Path) -> None:
    bandit = require(ROOT / ".venv/bin/bandit")
    (tmp_path / "planted.py").write_text(PLANTED, encoding="utf-8")
    code, output = exit_code(bandit, "-q", "-c", ROOT / "pyproject.toml", "-r", tmp_path)
    assert code == 1 and "B602" in output and "B307" in output  # shell=True, eval
    assert exit_code(bandit, "-q", "-c", ROOT / "pyproject.toml", "-r", ROOT / "src")[0] == 0


def test_semgrep_keel_rules_refuse_planted_code(tmp_path: Path) -> None:
    semgrep = require(TOOLS_BIN / "semgrep")
    (tmp_path / "planted.py").write_text(PLANTED, encoding="utf-8")
    code, output = exit_code(
        semgrep, "scan", "--config", DEPLOY / "security/semgrep.yml", "--metrics=off",
        "--disable-version-check", "--error", "--json", tmp_path,
    )  # fmt: skip
    assert code == 1
    for rule in ("keel-sql-from-strings", "keel-no-secrets-in-logs", "keel-no-eval"):
        assert rule in output


def test_a_new_secret_fails_and_moved_lines_do_not(tmp_path: Path) -> None:
    scan = require(ROOT / ".venv/bin/detect-secrets")
    check = DEPLOY / "security/check-secrets.sh"
    planted = ROOT / "deploy/security/_planted_for_a_test.py"  # removed below, never committed
    known = 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX"\n'  # pragma: allowlist secret
    new = 'github_token = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"\n'  # pragma: allowlist secret
    baseline = tmp_path / "baseline.json"
    try:
        planted.write_text(known, encoding="utf-8")
        code, output = exit_code(scan, "scan", planted.relative_to(ROOT))
        assert code == 0, output
        baseline.write_text(output, encoding="utf-8")  # the known secret, reviewed
        env = {**os.environ, "SECRETS_BASELINE": str(baseline)}
        assert exit_code(check, planted.relative_to(ROOT), env=env)[0] == 0
        planted.write_text("# moved down\n" + known, encoding="utf-8")
        assert exit_code(check, planted.relative_to(ROOT), env=env)[0] == 0
        planted.write_text(known + new, encoding="utf-8")
        code, output = exit_code(check, planted.relative_to(ROOT), env=env)
        assert code == 1 and "_planted_for_a_test.py:2" in output
    finally:
        planted.unlink(missing_ok=True)
    tree = (ROOT / ".secrets.baseline").read_bytes()
    assert exit_code(check, "src/keel/server/settings.py")[0] == 0  # paths as git names them
    assert (ROOT / ".secrets.baseline").read_bytes() == tree  # never rewritten
