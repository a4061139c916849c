import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { makeStore } from '../../app/store';
import { tokensRefreshed } from '../auth/authSlice';
import { UsersCard } from './UsersCard';

const NativeRequest = globalThis.Request;

/** Node's Request wants absolute URLs and its own AbortSignal; the app runs in a page (jsdom). */
class PageRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, window.location.origin) : input, { ...init, signal: undefined });
  }
}

/** One learner in the directory; PUT /admin/cohorts moves them, as the server does. */
function fakeServer() {
  const moves: unknown[] = [];
  const user = {
    id: 'u1', email: 'ada@example.com', display_name: 'Ada', role: 'learner', minor: false, active: true,
    two_factor: false, cohort: 'general', accounts: 0, created_at: '2026-12-06T06:00:00Z',
  };
  vi.stubGlobal('Request', PageRequest);
  vi.stubGlobal('fetch', async (input: Request) => {
    const path = new URL(input.url).pathname;
    const answer = (status: number, data: unknown) => new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
    if (path === '/api/v1/admin/users') return answer(200, { items: [user], total: 1 });
    if (path === '/api/v1/admin/users/u1') return answer(200, { ...user, paper_accounts: [], guardians: [], minors: [] });
    if (path === '/api/v1/admin/cohorts' && input.method === 'PUT') {
      const body = JSON.parse(await input.text()) as { email: string; cohort: string };
      moves.push(body);
      user.cohort = body.cohort;
      return answer(200, { user_id: user.id, email: user.email, cohort: body.cohort });
    }
    return answer(404, { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'nothing here' });
  });
  return moves;
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('UsersCard', () => {
  it('shows each cohort and moves a user through the cohort route', async () => {
    const moves = fakeServer();
    const store = makeStore();
    store.dispatch(tokensRefreshed({ access_token: 'a', refresh_token: 'r', expires_in: 900 }));
    render(
      <Provider store={store}>
        <MemoryRouter>
          <UsersCard />
        </MemoryRouter>
      </Provider>,
    );
    const table = await screen.findByRole('table', { name: 'Users' });
    const row = await within(table).findByRole('row', { name: /Ada/ });
    expect(within(row).getByText('General')).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: 'Ada' }));
    const cohort = await screen.findByLabelText('Cohort');
    expect((cohort as HTMLSelectElement).value).toBe('general');
    fireEvent.change(cohort, { target: { value: 'beta' } });

    await waitFor(() => expect(moves).toEqual([{ email: 'ada@example.com', cohort: 'beta' }]));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'ada@example.com is now in the Beta cohort.');
    // The directory reads the user again: the row and the choice show the new cohort.
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Users' })).getByText('Beta')).toBeTruthy());
    await waitFor(() => expect((screen.getByLabelText('Cohort') as HTMLSelectElement).value).toBe('beta'));
  });
});
