"""All SQL of the identity side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from keel.server.auth.models import RecoveryCode, RefreshToken, User


async def get_user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email))
    return result.scalar_one_or_none()


async def count_users(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def add(session: AsyncSession, row: User | RefreshToken | RecoveryCode) -> None:
    session.add(row)
    await session.flush()


async def get_refresh_token_for_update(
    session: AsyncSession, token_hash: str
) -> RefreshToken | None:
    """The refresh-token row, locked so two concurrent rotations of one token serialise."""
    result = await session.execute(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    )
    return result.scalar_one_or_none()


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_all_refresh_tokens(session: AsyncSession, user_id: str, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def replace_recovery_codes(
    session: AsyncSession, user_id: str, code_hashes: Sequence[str]
) -> None:
    await delete_recovery_codes(session, user_id)
    session.add_all(RecoveryCode(user_id=user_id, code_hash=h) for h in code_hashes)
    await session.flush()


async def delete_recovery_codes(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


async def claim_totp_step(session: AsyncSession, user_id: str, step: int) -> bool:
    """Record `step` as the user's last used TOTP step unless it (or a later one) already is.

    One conditional UPDATE, so of two requests sending the same code at once only one wins: the
    other waits on the row lock and then matches no row (a read-then-write lets both through)."""
    result = await session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def find_unused_recovery_code(
    session: AsyncSession, user_id: str, code_hash: str
) -> RecoveryCode | None:
    result = await session.execute(
        select(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash,
            RecoveryCode.used_at.is_(None),
        )
        .with_for_update()
    )
    return result.scalar_one_or_none()
