"""TOTP secrets sealed at rest

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:00:00

The column widens from 64 characters (a base32 secret) to 255 (its Fernet token), and every secret
stored in plain text is sealed with the first of `KEEL_ENCRYPTION_KEYS`; the downgrade opens them
again.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

import keel.server.sealing
from keel.server.sealing import is_sealed, seal, unseal

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_users = sa.table("users", sa.column("id", sa.String), sa.column("totp_secret", sa.String))


def _rewrite(convert: Callable[[str], str]) -> None:
    """Write `convert(secret)` over every stored TOTP secret it changes."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_users.c.id, _users.c.totp_secret).where(_users.c.totp_secret.is_not(None))
    ).all()
    for user_id, stored in rows:
        new = convert(stored)
        if new != stored:
            connection.execute(
                _users.update().where(_users.c.id == user_id).values(totp_secret=new)
            )


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=keel.server.sealing.SealedString(length=255),
            existing_nullable=True,
        )
    _rewrite(lambda stored: stored if is_sealed(stored) else seal(stored))


def downgrade() -> None:
    _rewrite(lambda stored: unseal(stored) if is_sealed(stored) else stored)
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=keel.server.sealing.SealedString(length=255),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
