"""orders: what was asked for, and why the order was cut

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:05:40

`requested_quantity` / `requested_notional` keep what the caller asked for (`quantity` /
`notional` keep what was accepted); `cut` says why an order was made smaller (plain words and
figures), so GET /orders/{id} says what the 201 said. Orders stored before this revision have no
record of what was asked: the new columns stay NULL for them rather than guess.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import keel.server.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column(
                "requested_quantity", keel.server.db.Money(precision=20, scale=6), nullable=True
            )
        )
        batch.add_column(
            sa.Column(
                "requested_notional", keel.server.db.Money(precision=20, scale=6), nullable=True
            )
        )
        batch.add_column(sa.Column("cut", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("cut")
        batch.drop_column("requested_notional")
        batch.drop_column("requested_quantity")
