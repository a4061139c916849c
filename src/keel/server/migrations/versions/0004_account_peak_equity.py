"""account peak equity

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:10:00

The drawdown rule's reference, shared by every process that judges the account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import keel.server.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "paper_accounts",
        sa.Column("peak_equity", keel.server.db.Money(precision=20, scale=6), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("paper_accounts") as batch:
        batch.drop_column("peak_equity")
