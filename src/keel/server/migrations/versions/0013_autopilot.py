"""autopilot: the account's switch, each order's origin, autopilot's decisions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 05:46:18

`paper_accounts.autopilot` says whether the engine trades the model's signals for the account;
`orders.origin` who placed an order (`person` for every order stored before this revision);
`autopilot_decisions` holds one decision per account, symbol and signal day (its unique key keeps
autopilot to one order per day and symbol across engine restarts).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import keel.server.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "autopilot_decisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("symbol", sa.String(length=16), nullable=False),
        sa.Column("signal_day", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("quantity", keel.server.db.Money(precision=20, scale=6), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("time", keel.server.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", keel.server.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["paper_accounts.id"],
            name=op.f("fk_autopilot_decisions_account_id_paper_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_autopilot_decisions_order_id_orders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_autopilot_decisions")),
        sa.UniqueConstraint(
            "account_id", "symbol", "signal_day", name=op.f("uq_autopilot_decisions_account_id")
        ),
    )
    with op.batch_alter_table("autopilot_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_autopilot_decisions_account_id"), ["account_id"], unique=False
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), server_default="person", nullable=False)
        )

    with op.batch_alter_table("paper_accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("autopilot", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("paper_accounts", schema=None) as batch_op:
        batch_op.drop_column("autopilot")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("origin")

    with op.batch_alter_table("autopilot_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_autopilot_decisions_account_id"))

    op.drop_table("autopilot_decisions")
