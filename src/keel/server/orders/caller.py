"""Who is placing an order, from the signed access token alone (no query before the account lock).

Placement locks the account row anyway; the owner's `is_active` and `token_version` are read in
that same round trip (`accounts.repository.lock_account_with_owner`) and checked by the service,
so a token revoked by a password change is refused exactly as on every other route, without an
extra query per order.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from keel.server.auth.deps import unauthorized
from keel.server.auth.revocation import access_denylist, checked_access
from keel.server.auth.service import verify_access_token
from keel.server.auth.tokens import TokenClaims
from keel.server.deps import RuntimeDep

_bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login")

STALE_TOKEN = "the access token is no longer valid; log in again"


async def access_claims(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TokenClaims:
    """The verified claims of the caller's access token (signature, kind, expiry, not revoked by a
    logout: one denylist lookup, asked with the rate limit's count, no database query); 401
    otherwise.

    Whether the owner is still active and the token's version still current is checked by the
    caller of this dependency, under the account lock."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("send an access token as `Authorization: Bearer <token>`")
    return await verify_access_token(
        runtime.settings,
        access_denylist(runtime),
        credentials.credentials,
        now=runtime.clock.now(),
        checked=checked_access(request.scope),
    )


AccessClaims = Annotated[TokenClaims, Depends(access_claims)]
