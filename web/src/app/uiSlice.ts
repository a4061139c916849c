import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type Theme = 'light' | 'dark';
export type Notices = { fills: boolean; breakers: boolean };
/** A notice for a few seconds. One with a `subject` replaces the one before it of that subject
 * (a breaker's latest level, not its whole history, stacked over the page). */
export type Toast = { id: number; kind: 'fill' | 'breaker' | 'info'; text: string; subject?: string };

/** At most this many notices at once: on a phone three already cover half the screen. */
export const MAX_TOASTS = 3;

export type UiState = {
  theme: Theme;
  accountId: string | null;
  notices: Notices;
  toasts: Toast[];
};

const STORAGE_KEY = 'keel.ui';

function initial(): UiState {
  const prefersDark =
    typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  const base: UiState = {
    theme: prefersDark ? 'dark' : 'light',
    accountId: null,
    notices: { fills: true, breakers: true },
    toasts: [],
  };
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<UiState> | null;
    return { ...base, ...stored, toasts: [] };
  } catch {
    return base;
  }
}

export function saveUi(state: UiState): void {
  const { theme, accountId, notices } = state;
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme, accountId, notices }));
}

let nextToast = 1;

const uiSlice = createSlice({
  name: 'ui',
  initialState: initial,
  reducers: {
    themeChosen: (state, action: PayloadAction<Theme>) => {
      state.theme = action.payload;
    },
    accountChosen: (state, action: PayloadAction<string | null>) => {
      state.accountId = action.payload;
    },
    noticesChosen: (state, action: PayloadAction<Notices>) => {
      state.notices = action.payload;
    },
    toastShown: {
      reducer: (state, action: PayloadAction<Toast>) => {
        const { subject } = action.payload;
        const others = subject === undefined ? state.toasts : state.toasts.filter((toast) => toast.subject !== subject);
        state.toasts = [...others.slice(-(MAX_TOASTS - 1)), action.payload];
      },
      prepare: (kind: Toast['kind'], text: string, subject?: string) => ({ payload: { id: nextToast++, kind, text, subject } }),
    },
    toastDismissed: (state, action: PayloadAction<number>) => {
      state.toasts = state.toasts.filter((toast) => toast.id !== action.payload);
    },
  },
});

export const { themeChosen, accountChosen, noticesChosen, toastShown, toastDismissed } =
  uiSlice.actions;
export default uiSlice.reducer;
