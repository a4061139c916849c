"""second guardian

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 00:02:29

A minor may link to more than one guardian: `guardian_links.minor_id` is no longer unique (it keeps
an index for the lookups by minor), a (guardian, minor) pair is. The downgrade fails while a minor
has two guardians (unlink one first).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guardian_links", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_guardian_links_minor_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_guardian_links_minor_id"), ["minor_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_guardian_links_guardian_id"), ["guardian_id", "minor_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("guardian_links", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_guardian_links_guardian_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_guardian_links_minor_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_guardian_links_minor_id"), ["minor_id"])
