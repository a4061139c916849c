import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type AuthState = {
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number | null;
};

export type TokenPair = { access_token: string; refresh_token: string; expires_in: number };

const STORAGE_KEY = 'keel.session';

export function loadSession(): AuthState {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as AuthState | null;
    if (stored?.refreshToken) return stored;
  } catch {
    // a damaged entry means no session
  }
  return { accessToken: null, refreshToken: null, expiresAt: null };
}

export function saveSession(state: AuthState): void {
  if (state.refreshToken) localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  else localStorage.removeItem(STORAGE_KEY);
}

const fromPair = (pair: TokenPair): AuthState => ({
  accessToken: pair.access_token,
  refreshToken: pair.refresh_token,
  expiresAt: Date.now() + pair.expires_in * 1000,
});

const authSlice = createSlice({
  name: 'auth',
  initialState: loadSession,
  reducers: {
    signedIn: (_state, action: PayloadAction<TokenPair>) => fromPair(action.payload),
    tokensRefreshed: (_state, action: PayloadAction<TokenPair>) => fromPair(action.payload),
    sessionEnded: () => ({ accessToken: null, refreshToken: null, expiresAt: null }),
  },
});

export const { signedIn, tokensRefreshed, sessionEnded } = authSlice.actions;
export default authSlice.reducer;
