"""`requires_flag(key)`: a route served only to the users a feature flag is on for.

The web app hides a flagged feature from whoever the flag is off for, but hiding is not
enforcing: the API answers the same way to anyone who calls it directly. So a route that belongs
to a flagged feature depends on `requires_flag(key)`, which evaluates the flag for the caller with
the same evaluation context as `/me/flags` (their id, cohort, role and minority) on every
request: an admin's change or a cohort move applies to the next request, without a restart. A
user the flag is off for gets 403 `feature-not-enabled` naming the flag; someone not signed in
gets 401 first. The flags a route may require are `definitions.GATES`, each checked at start-up
to be an on/off flag of the flags file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from keel.server.auth.deps import CurrentUser
from keel.server.auth.models import User
from keel.server.deps import RuntimeDep
from keel.server.errors import ProblemError
from keel.server.flags.book import get_flags
from keel.server.flags.definitions import GATES
from keel.server.flags.service import flag_for


def requires_flag(key: str) -> Callable[..., Awaitable[User]]:
    """A dependency that returns the caller when flag `key` is on for them, and refuses with
    `feature-not-enabled` otherwise: `Depends(requires_flag(MODEL_SIGNALS))`."""
    if key not in GATES:
        raise ValueError(f"flag {key!r} gates no route: add it to definitions.GATES first")

    async def flagged_user(user: CurrentUser, runtime: RuntimeDep) -> User:
        today = runtime.clock.now().date()
        evaluated = flag_for(get_flags(runtime), user, key, today_is_minor=user.is_minor_on(today))
        if evaluated.value is not True:
            raise ProblemError(403, "feature-not-enabled", GATES[key], flag=key)
        return user

    flagged_user.__name__ = f"requires_{key.replace('-', '_')}"
    return flagged_user
