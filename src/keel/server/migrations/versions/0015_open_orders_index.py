"""a partial index of each account's open orders

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 17:05:00

The engine matches resting orders on every tick (`orders.repository.working_orders_for`: a
scenario's working orders, joined to its accounts) and the order desk reads its batch's accounts'
open orders (`open_orders_of`). On a young table PostgreSQL planned both through
`uq_orders_account_id`, reading every order each account had ever placed and filtering the few
open ones: a 5-minute soak's matching query went from 200 to 3,000 buffers and past 50 ms as the
accounts' histories grew. `ix_orders_open` holds only the open orders (an order leaves it when it
fills or is cancelled), so both queries cost what the open orders cost.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDERS_ONLY = "status IN ('accepted', 'partially_filled', 'pending_approval')"


def upgrade() -> None:
    op.create_index(
        "ix_orders_open",
        "orders",
        ["account_id"],
        unique=False,
        postgresql_where=sa.text(OPEN_ORDERS_ONLY),
        sqlite_where=sa.text(OPEN_ORDERS_ONLY),
    )


def downgrade() -> None:
    op.drop_index("ix_orders_open", table_name="orders")
