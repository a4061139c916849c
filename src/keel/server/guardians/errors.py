"""Named errors of guardian links (their HTTP statuses are in `keel.server.errors.PROBLEM_TYPES`)."""

from __future__ import annotations

from keel.domain.errors import DomainError


class AlreadyLinked(DomainError):
    """The minor is already linked to the guardian who issued the invitation."""

    code = "already-linked"


class GuardiansFull(DomainError):
    """The minor already has as many guardians as a minor may have."""

    code = "guardians-full"
