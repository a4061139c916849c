import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { fakeServer, signedInStore } from '../../test/fakeServer';
import FeedbackButton from './FeedbackButton';
import { appSnapshot } from './snapshot';

function fakeFeedbackServer(feedbackButton: boolean) {
  return fakeServer({
    '/api/v1/me/flags': () => [200, { cohort: 'general', flags: { 'feedback-button': { value: feedbackButton, variant: feedbackButton ? 'on' : 'off', reason: 'STATIC' } } }],
    '/api/v1/accounts': () => [200, []],
    '/api/v1/feedback': () => [201, { id: 'f1', recorded_at: '2026-12-06T06:00:00Z', market_time: null, flags: {} }],
  });
}

function renderAt(path: string, store = signedInStore()) {
  render(
    <Provider store={store}>
      <MemoryRouter initialEntries={[path]}>
        <FeedbackButton />
      </MemoryRouter>
    </Provider>,
  );
  return store;
}

beforeEach(() => {
  // jsdom has no <dialog> methods.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) { this.open = false; };
});
afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('FeedbackButton', () => {
  it('sends the text, the page and the app state without any token', async () => {
    const sent = fakeFeedbackServer(true);
    renderAt('/markets/SPX');
    fireEvent.click(await screen.findByRole('button', { name: 'Feedback' }));
    fireEvent.change(screen.getByLabelText('Your feedback'), { target: { value: 'The chart needs more contrast.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(sent.some((each) => each.url === '/api/v1/feedback')).toBe(true));
    const post = sent.find((each) => each.url === '/api/v1/feedback')!;
    expect(post.method).toBe('POST');
    expect(post.authorization).toBe('Bearer access-secret');
    const body = post.body as { text: string; page: string; app_state: Record<string, unknown>; scenario_id: string };
    expect(body.text).toBe('The chart needs more contrast.');
    expect(body.page).toBe('/markets/SPX');
    expect(body.scenario_id).toBe('default');
    expect(body.app_state.page).toBe('/markets/SPX');
    expect(JSON.stringify(body.app_state)).not.toMatch(/secret|accessToken|refreshToken/);
  });

  it('is not shown when the feedback-button flag is off for the user', async () => {
    const sent = fakeFeedbackServer(false);
    renderAt('/');
    await waitFor(() => expect(sent.some((each) => each.url === '/api/v1/me/flags')).toBe(true));
    expect(screen.queryByRole('button', { name: 'Feedback' })).toBeNull();
  });
});

describe('appSnapshot', () => {
  it('keeps the UI settings and leaves the session and the cached data out', () => {
    const store = signedInStore();
    const snapshot = appSnapshot(store.getState(), '/orders', 'es');
    expect(Object.keys(snapshot).sort()).toEqual(['language', 'live', 'page', 'ui', 'viewport']);
    expect(JSON.stringify(snapshot)).not.toContain('secret');
  });
});
