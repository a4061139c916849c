"""scenarios: the simulator's seed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:47:41

A scenario of source `simulator` replays the fictional classroom tickers simulated from its own
seed, so every process that runs or mirrors it builds the same market. Scenarios stored before
this revision are replays of bundled history: their seed stays NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("seed", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_column("seed")
