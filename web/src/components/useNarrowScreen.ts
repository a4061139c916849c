import { useSyncExternalStore } from 'react';

/** Below Tailwind's `sm` breakpoint (640 px): a phone held upright. */
const NARROW = '(max-width: 639.98px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia?.(NARROW);
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
}

const isNarrow = () => window.matchMedia?.(NARROW).matches ?? false;

/** Whether the screen is phone-narrow, kept current as it turns or the window resizes. For a
 * layout that changes what it shows (a table's rows become cards), not only how it looks. */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(subscribe, isNarrow, () => false);
}
