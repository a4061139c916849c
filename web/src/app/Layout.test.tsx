import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import ClassPage from '../features/classes/ClassPage';
import ClassesPage from '../features/classes/ClassesPage';
import { createLive } from '../live';
import type { LiveMessage } from '../live/socket';
import { fakeServer, signedInStore } from '../test/fakeServer';
import Layout from './Layout';

const CLOCKS: Record<string, string> = {
  default: '2008-06-02T20:00:00Z', // the teacher's own account's market, months behind the class's
  'class-1': '2008-10-10T20:00:00Z', // the class's market
};

const PERIOD_3 = { id: 'c1', name: 'Period 3', scenario_id: 'class-1', score: 'sortino', join_code: 'ABCD-1234', required_lessons: {}, teacher_name: 'Ms Tan' };

function server(role = 'teacher') {
  return fakeServer({
    '/api/v1/me': () => [200, { id: 'u', role, display_name: 'Sam', email: 'sam@example.org', two_factor_enabled: false }],
    '/api/v1/accounts': () => [200, [{ id: 'a1', name: 'Practice', scenario_id: 'default', cash: '10000', equity: '10000' }]],
    '/api/v1/market/clock': (_body, url) => {
      const time = CLOCKS[url.searchParams.get('scenario') ?? 'default'];
      return [200, { market_time: time, market_date: time?.slice(0, 10), finished: false }];
    },
    '/api/v1/classes/c1': () => [200, PERIOD_3],
    '/api/v1/classes': () => [200, [PERIOD_3]],
  });
}

/** The live socket, not connected: what the header subscribes to, to announce market days by hand. */
function liveChannels(store: ReturnType<typeof signedInStore>) {
  const listeners = new Map<string, (message: LiveMessage) => void>();
  vi.spyOn(createLive(store), 'subscribe').mockImplementation((channel, listener) => {
    listeners.set(channel, listener);
    return () => listeners.delete(channel);
  });
  return listeners;
}

function renderAt(path: string) {
  const store = signedInStore();
  const channels = liveChannels(store);
  render(
    <Provider store={store}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<p>Home</p>} />
            <Route path="classes" element={<ClassesPage />} />
            <Route path="classes/:classId" element={<ClassPage />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  return channels;
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('the header’s market date', () => {
  it('is the class’s market, named, on a class page, and the account’s again on leaving it', async () => {
    server();
    const channels = renderAt('/classes/c1');
    await screen.findByRole('heading', { name: 'Period 3' });
    await waitFor(() => expect(screen.getByTestId('market-clock').textContent).toBe('Market date in “Period 3”: Oct 10, 2008'));
    // The class's clock announces its next market day; the account's clock is not listened to here.
    expect(channels.has('clock')).toBe(false);
    act(() => channels.get('clock@class-1')?.({ type: 'clock', market_time: '2008-10-13T20:00:00Z' }));
    expect(screen.getByTestId('market-date').textContent).toBe('Oct 13, 2008');

    fireEvent.click(screen.getByRole('link', { name: 'Dashboard' }));
    await screen.findByText('Home');
    await waitFor(() => expect(screen.getByTestId('market-clock').textContent).toBe('Market date: Jun 2, 2008'));
    expect(channels.has('clock@class-1')).toBe(false); // and the class's later day is not shown for it
  });

  it('is the class’s market on a student’s “My class” page when they are in one class', async () => {
    server('learner');
    renderAt('/classes');
    await waitFor(() => expect(screen.getByTestId('market-clock').textContent).toBe('Market date in “Period 3”: Oct 10, 2008'));
  });

  it('is the account’s market, unnamed, on the other pages', async () => {
    server();
    renderAt('/');
    await waitFor(() => expect(screen.getByTestId('market-date').textContent).toBe('Jun 2, 2008'));
    expect(screen.getByTestId('market-clock').textContent).toBe('Market date: Jun 2, 2008');
  });
});

describe('the breaker banner', () => {
  it('is in place before the page shows, so its arrival moves nothing', async () => {
    let answer: (() => void) | undefined;
    const answered = new Promise<void>((resolve) => { answer = resolve; });
    fakeServer({
      '/api/v1/me': () => [200, { id: 'u', role: 'learner', display_name: 'Sam', email: 'sam@example.org', two_factor_enabled: false }],
      '/api/v1/accounts': () => [200, [{ id: 'a1', name: 'Practice', scenario_id: 'default', cash: '10000', equity: '10000' }]],
      '/api/v1/breakers': async () => {
        await answered;
        const closed = { breaker: 'market-drop', cause: 'shock', scope: 'market', key: 'market', level: 'CLOSED', effective_level: 'CLOSED', mode: 'enforce', pinned: false, probing: false, reason: 'SPX fell 7 % today', condition: null };
        return [200, { breakers: [closed] }];
      },
    });
    renderAt('/');
    const main = screen.getByRole('main', { hidden: true });
    await screen.findByText('Home');
    expect(main.getAttribute('aria-busy')).toBe('true');
    expect(main.className).toContain('invisible');
    answer?.();
    await waitFor(() => expect(main.getAttribute('aria-busy')).toBe('false'));
    expect(main.className).not.toContain('invisible');
    expect(screen.getByTestId('breaker-banner').textContent).toContain('SPX fell 7 % today');
  });
});
