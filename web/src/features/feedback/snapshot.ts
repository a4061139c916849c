import type { RootState } from '../../app/store';

/**
 * What the app showed, for a feedback report: the UI settings and the live connection, never the
 * session (tokens) nor the cached server data (other people's names, amounts). The server also
 * removes any value under a key that names a token, password or secret.
 */
export function appSnapshot(state: RootState, page: string, language: string): Record<string, unknown> {
  const { theme, accountId, notices } = state.ui;
  const { status } = state.live;
  return { page, language, ui: { theme, accountId, notices }, live: { status }, viewport: viewport() };
}

function viewport(): { width: number; height: number } | null {
  return typeof window === 'undefined' ? null : { width: window.innerWidth, height: window.innerHeight };
}
