"""drop three indexes that a unique index already covers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:23:49

`ix_orders_account_id`, `ix_order_events_order_id` and `ix_ledger_entries_account_id` index the
leading column of the unique indexes (account_id, client_order_id), (order_id, sequence) and
(account_id, sequence), which serve the same lookups and cascades. Each order placed wrote all
three for nothing (found profiling `benchmarks/orders_http.py`).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = (
    ("ix_orders_account_id", "orders", "account_id"),
    ("ix_order_events_order_id", "order_events", "order_id"),
    ("ix_ledger_entries_account_id", "ledger_entries", "account_id"),
)


def upgrade() -> None:
    for name, table, _column in COVERED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in COVERED:
        op.create_index(name, table, [column], unique=False)
