#!/usr/bin/env bash
# detect-secrets against the reviewed baseline: fails on any secret not in it. Runs on a copy of
# the baseline, so moved lines (which make detect-secrets-hook rewrite the baseline and exit 3)
# neither fail the run nor touch the committed file. Files: the arguments, else every tracked
# file outside tests/ (fixtures there hold only fake credentials).
set -euo pipefail
cd "$(dirname "$0")/../.."
hook="${DETECT_SECRETS_HOOK:-.venv/bin/detect-secrets-hook}"
baseline="$(mktemp)"
trap 'rm -f "$baseline"' EXIT
cp "${SECRETS_BASELINE:-.secrets.baseline}" "$baseline"
excluded='^(tests/|deploy/tools/|web/package-lock\.json$|constraints\.txt$|\.secrets\.baseline$)'
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -d '' files < <(git ls-files -z)
fi
status=0
output="$("$hook" --baseline "$baseline" --exclude-files "$excluded" "${files[@]}" 2>&1)" || status=$?
if [ "$status" -eq 3 ]; then  # only line numbers moved
  exit 0
fi
if [ "$status" -ne 0 ]; then
  printf '%s\n' "$output"
fi
exit "$status"
