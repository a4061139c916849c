#!/usr/bin/env bash
# Back up Keel's PostgreSQL database to one file (pg_dump's custom format: compressed, restorable
# table by table). Usage: deploy/backup/backup.sh [DATABASE_URL] OUT.dump
# DATABASE_URL defaults to KEEL_DATABASE_URL (or the file KEEL_DATABASE_URL_FILE names); the
# SQLAlchemy driver suffix (+asyncpg) is dropped for libpq.
set -euo pipefail
if [ "$#" -eq 2 ]; then url="$1"; out="$2"; elif [ "$#" -eq 1 ]; then out="$1"; url="${KEEL_DATABASE_URL:-$(cat "${KEEL_DATABASE_URL_FILE:-/dev/null}")}"; else
  echo "usage: $0 [DATABASE_URL] OUT.dump" >&2; exit 2; fi
url="${url/+asyncpg/}"
pg_dump --format=custom --no-owner --no-privileges --file="$out" "$url"
echo "backup: $(du -h "$out" | cut -f1) in $out"
