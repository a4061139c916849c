import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { ClassOut, FeedbackOut, LeaderboardOut } from '../../api/generated';
import { makeStore } from '../../app/store';
import { tokensRefreshed } from '../auth/authSlice';
import ClassBoard from './ClassBoard';
import ClassFeedback from './ClassFeedback';

type Sent = { path: string; query: string; method: string; body: unknown };

const NativeRequest = globalThis.Request;

/** Node's Request wants absolute URLs and its own AbortSignal; the app runs in a page (jsdom). */
class PageRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, window.location.origin) : input, { ...init, signal: undefined });
  }
}

function klass(id: string, name: string): ClassOut {
  return {
    id, name, teacher_name: 'Ms Rivera', scenario_id: 's', score: 'sharpe', required_lessons: {}, max_position_fraction: null,
    join_code: 'ABCD2345', student_count: 2, my_account_id: null, created_at: '2026-12-06T06:00:00Z',
  };
}

const feedback: FeedbackOut = {
  id: 'f1', user_id: 'u1', user_email: 'ana@example.com', user_name: 'Ana', text: 'The order form confuses me.', page: '/trade',
  cohort: 'general', flags: { 'feedback-button': true, 'model-signals': false }, has_app_state: false, scenario_id: 's',
  market_time: null, recorded_at: '2026-12-06T06:00:00Z', status: 'new', note: '', triaged_by: null, updated_at: '2026-12-06T06:00:00Z',
};

function fakeServer(answers: (sent: Sent) => [number, unknown]) {
  const sent: Sent[] = [];
  vi.stubGlobal('Request', PageRequest);
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const request = { path: url.pathname, query: url.search, method: input.method, body: input.method === 'GET' ? null : JSON.parse(await input.text()) };
    sent.push(request);
    const [status, data] = answers(request);
    return new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return sent;
}

function renderSignedIn(node: React.ReactNode) {
  const store = makeStore();
  store.dispatch(tokensRefreshed({ access_token: 'access', refresh_token: 'refresh', expires_in: 900 }));
  render(<Provider store={store}>{node}</Provider>);
}

afterEach(() => vi.unstubAllGlobals());

describe('ClassFeedback', () => {
  it('lists the classes’ feedback with its page and flags, filters by class and triages through the teacher’s route', async () => {
    const sent = fakeServer(({ path, method, query }) => {
      if (path === '/api/v1/teacher/feedback') {
        const items = query.includes('class_id=c5') ? [] : [feedback];
        return [200, { total: items.length, counts: query.includes('class_id=c5') ? {} : { new: 1 }, items }];
      }
      if (path === '/api/v1/teacher/feedback/f1' && method === 'PATCH') return [200, { ...feedback, status: 'triaged', app_state: null }];
      return [404, {}];
    });
    renderSignedIn(<ClassFeedback classes={[klass('c3', 'Period 3'), klass('c5', 'Period 5')]} />);
    const item = await screen.findByText('The order form confuses me.');
    const card = item.closest('li') as HTMLElement;
    expect(within(card).getByText('/trade')).toBeTruthy();
    expect(within(card).getByText('feedback-button')).toBeTruthy();
    expect(sent[0]?.query).toBe('?status=new');

    fireEvent.change(within(card).getByLabelText('Status'), { target: { value: 'triaged' } });
    await waitFor(() => expect(sent.some((r) => r.method === 'PATCH')).toBe(true));
    const patch = sent.find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({ path: '/api/v1/teacher/feedback/f1', body: { status: 'triaged' } });

    fireEvent.change(screen.getByLabelText('Class'), { target: { value: 'c5' } });
    expect(await screen.findByText('No feedback yet')).toBeTruthy();
    expect(screen.getByText(/Feedback button at the top of every page/)).toBeTruthy();
    expect(sent.some((r) => r.query.includes('class_id=c5'))).toBe(true);
  });
});

function board(days: number): LeaderboardOut {
  const row = (rank: number, id: string, name: string) => ({
    rank, user_id: id, name, score: days ? 1.2 / rank : null, total_return: 0.01 * rank, sharpe: null, sortino: null, calmar: null,
    max_drawdown: 0, breaker_compliance: null, orders: 0, lesson_mastery: 0, days, equity: '10000.00',
    regimes: [{ regime: 'HIGH' as const, total_return: null, days: 0 }, { regime: 'EXTREME' as const, total_return: null, days: 0 }],
  });
  return { class_id: 'c3', score: 'sharpe', market_date: '2008-09-05', standings: [row(1, 'u1', 'Ana'), row(2, 'me', 'Ben')] };
}

describe('ClassBoard', () => {
  it('shows a student their class’s board with their own row marked', async () => {
    fakeServer(({ path }) => (path === '/api/v1/classes/c3/standings' ? [200, board(3)] : [404, {}]));
    renderSignedIn(<ClassBoard item={klass('c3', 'Period 3')} you="me" />);
    const mine = await screen.findByRole('rowheader', { name: 'Ben (you)' });
    expect(mine.closest('tr')?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByRole('rowheader', { name: 'Ana' }).closest('tr')?.getAttribute('aria-current')).toBeNull();
    expect(screen.getByText(/Ranked by Sharpe ratio, the score Ms Rivera chose/)).toBeTruthy();
  });

  it('says what to do before the first market day closes', async () => {
    fakeServer(({ path }) => (path === '/api/v1/classes/c3/standings' ? [200, board(0)] : [404, {}]));
    renderSignedIn(<ClassBoard item={klass('c3', 'Period 3')} you="me" />);
    expect(await screen.findByText('No market day has closed yet')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
