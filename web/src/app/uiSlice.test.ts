import { describe, expect, it } from 'vitest';

import { makeStore } from './store';
import { MAX_TOASTS, toastShown } from './uiSlice';

describe('notices', () => {
  it('show a breaker’s latest level only, and never more than a few at once', () => {
    const store = makeStore();
    store.dispatch(toastShown('breaker', 'STRK: Restricted', 'breaker:STRK'));
    store.dispatch(toastShown('fill', 'Bought 5 ACME'));
    store.dispatch(toastShown('breaker', 'STRK: Closed', 'breaker:STRK'));
    store.dispatch(toastShown('breaker', 'STRK: Cautious', 'breaker:STRK'));
    expect(store.getState().ui.toasts.map((toast) => toast.text)).toEqual(['Bought 5 ACME', 'STRK: Cautious']);

    for (const symbol of ['ACME', 'GLBX', 'INIT']) store.dispatch(toastShown('breaker', `${symbol}: Closed`, `breaker:${symbol}`));
    const texts = store.getState().ui.toasts.map((toast) => toast.text);
    expect(texts).toHaveLength(MAX_TOASTS);
    expect(texts).toEqual(['ACME: Closed', 'GLBX: Closed', 'INIT: Closed']); // the newest
  });
});
