// The one base API: generated endpoints (./generated.ts) are injected into it, live updates
// (../live) write into its cache. Requests carry the access token; a 401 refreshes it once.
import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
} from '@reduxjs/toolkit/query/react';

import { sessionEnded, tokensRefreshed, type AuthState } from '../features/auth/authSlice';

type WithAuth = { auth: AuthState };

const rawBaseQuery = fetchBaseQuery({
  baseUrl: '/',
  prepareHeaders: (headers, { getState }) => {
    const token = (getState() as WithAuth).auth.accessToken;
    if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
    return headers;
  },
});

let refreshing: Promise<boolean> | null = null;

/** Trade the refresh token for a new pair; every request that failed meanwhile waits for the same one. */
export async function refreshTokens(
  refreshToken: string,
  dispatch: (action: unknown) => unknown,
): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!response.ok) {
        dispatch(sessionEnded());
        return false;
      }
      const pair = (await response.json()) as {
        access_token: string;
        refresh_token: string;
        expires_in: number;
      };
      dispatch(tokensRefreshed(pair));
      return true;
    } catch {
      return false; // offline: keep the session, the live banner says so
    } finally {
      setTimeout(() => (refreshing = null), 0);
    }
  })();
  return refreshing;
}

type Pair = { access_token: string; refresh_token: string; expires_in: number };

function tokenPairIn(data: unknown): Pair | null {
  const isPair = (value: unknown): value is Pair =>
    typeof value === 'object' && value !== null && 'access_token' in value && 'refresh_token' in value;
  if (isPair(data)) return data;
  const nested = (data as { tokens?: unknown } | null)?.tokens;
  return isPair(nested) ? nested : null;
}

const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (
  args,
  api,
  extra,
) => {
  let result = await rawBaseQuery(args, api, extra);
  const url = typeof args === 'string' ? args : args.url;
  // An answer that carries a new token pair (sign-in, password change, turning 2FA on — the last
  // two end every older session) is taken before anything refetches with the revoked tokens.
  const pair = tokenPairIn(result.data);
  if (pair) api.dispatch(tokensRefreshed(pair));
  if (result.error?.status === 401 && !url.includes('/auth/')) {
    const refreshToken = (api.getState() as WithAuth).auth.refreshToken;
    if (refreshToken && (await refreshTokens(refreshToken, api.dispatch))) {
      result = await rawBaseQuery(args, api, extra);
    }
  }
  return result;
};

export const baseApi = createApi({
  reducerPath: 'api',
  baseQuery,
  endpoints: () => ({}),
  refetchOnReconnect: true,
});
