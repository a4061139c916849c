#!/usr/bin/env bash
# Restore a backup made by backup.sh into an empty database, in one transaction (all or nothing),
# then print how many rows each of the money tables holds. Usage:
#   deploy/backup/restore.sh IN.dump TARGET_DATABASE_URL
# Check it afterwards: KEEL_DATABASE_URL=TARGET keel check
set -euo pipefail
if [ "$#" -ne 2 ]; then echo "usage: $0 IN.dump TARGET_DATABASE_URL" >&2; exit 2; fi
dump="$1"; url="${2/+asyncpg/}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
for table in users paper_accounts orders order_events fills ledger_entries positions; do
  printf 'restored %-16s %s rows\n' "$table" "$(psql -XtAq "$url" -c "SELECT count(*) FROM $table")"
done
