import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { fakeServer, signedInStore } from '../../test/fakeServer';
import DecisionQueue, { type DecisionRequest } from './DecisionQueue';

type Item = { id: string; text: string };

const ITEMS: Item[] = [
  { id: 'a', text: 'Kid wants to buy 2 ACME' },
  { id: 'b', text: 'Kid wants to buy 3 ACME' },
  { id: 'c', text: 'Kid wants to buy 4 STRK' },
];

function me(twoFactor: boolean) {
  fakeServer({
    '/api/v1/me': () => [200, { id: 'g', role: 'guardian', display_name: 'Gia', email: 'gia@example.org', two_factor_enabled: twoFactor }],
  });
}

function renderQueue({ items = ITEMS, decide = vi.fn(async () => true), selectAll = true }: { items?: Item[]; decide?: (request: DecisionRequest) => Promise<boolean>; selectAll?: boolean } = {}) {
  const { container } = render(
    <Provider store={signedInStore()}>
      <MemoryRouter>
        <DecisionQueue
          items={items}
          loading={false}
          empty={<p>Nothing waits</p>}
          results={<p role="status">last result</p>}
          idOf={(item) => item.id}
          describe={(item) => <span className="block">{item.text}</span>}
          legend="Orders waiting for you"
          selectAllLabel={selectAll ? 'Tick every order' : undefined}
          approveLabel={(count) => `Approve ${count}`}
          rejectLabel={(count) => `Reject ${count}`}
          codeHint="One code for every ticked order."
          codeId="approval-code"
          reasonId="reject-reason"
          testIdPrefix="approve-"
          decide={decide}
          state={{ isLoading: false }}
        />
      </MemoryRouter>
    </Provider>,
  );
  return { container, decide };
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('DecisionQueue', () => {
  it('approves the ticked items with one code by keyboard alone: Tab, Space, typing and Enter', async () => {
    me(true);
    const decide = vi.fn(async (_request: DecisionRequest) => true);
    renderQueue({ decide });
    const user = userEvent.setup();
    const code = await screen.findByLabelText('Authenticator code');
    expect(code.getAttribute('aria-describedby')).toBe('approval-code-hint');
    expect(document.getElementById('approval-code-hint')?.textContent).toBe('One code for every ticked order.');
    expect(screen.getByRole('button', { name: 'Approve 0' })).toHaveProperty('disabled', true);

    await user.tab(); // the first stop is "Tick every order"
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Tick every order' }));
    await user.keyboard(' ');
    expect(screen.getByRole('button', { name: 'Approve 3' })).toHaveProperty('disabled', false);
    await user.tab();
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Kid wants to buy 4 STRK' }));
    await user.keyboard(' '); // untick the third
    expect(screen.getByRole('checkbox', { name: 'Tick every order' })).toHaveProperty('checked', false);
    await user.tab();
    expect(document.activeElement).toBe(code);
    await user.keyboard(' 123456 {Enter}');

    await waitFor(() => expect(decide).toHaveBeenCalledTimes(1));
    expect(decide.mock.calls[0]![0]).toEqual({ ids: ['a', 'b'], decision: 'approve', code: '123456', reason: null });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Approve 0' })).toHaveProperty('disabled', true));
    expect((code as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('status').textContent).toBe('last result');
  });

  it('rejects with the typed reason, or a kind default one, and keeps the ticks when the server refused', async () => {
    me(false);
    const decide = vi.fn(async (_request: DecisionRequest) => false);
    renderQueue({ decide });
    const user = userEvent.setup();
    await user.click(screen.getByTestId('approve-b'));
    await user.click(screen.getByRole('button', { name: 'Reject 1' }));
    await waitFor(() => expect(decide).toHaveBeenCalledTimes(1));
    expect(decide.mock.calls[0]![0]).toEqual({ ids: ['b'], decision: 'reject', code: null, reason: 'Not this time: let’s talk about it.' });
    expect(screen.getByTestId('approve-b')).toHaveProperty('checked', true); // refused: still ticked

    await user.type(screen.getByLabelText('Reason for a rejection (the minor sees it)'), 'Too risky today');
    await user.click(screen.getByRole('button', { name: 'Reject 1' }));
    await waitFor(() => expect(decide).toHaveBeenCalledTimes(2));
    expect(decide.mock.calls[1]![0]).toMatchObject({ ids: ['b'], reason: 'Too risky today' });
    expect(screen.queryByLabelText('Authenticator code')).toBeNull(); // no 2FA, no code field
  });

  it('offers "tick every" only for two or more items, and only when asked to', () => {
    me(false);
    renderQueue({ items: ITEMS.slice(0, 1) });
    expect(screen.queryByRole('checkbox', { name: 'Tick every order' })).toBeNull();
    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
  });

  it('shows the last results above the empty state once nothing waits', () => {
    me(false);
    renderQueue({ items: [] });
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('last result');
    expect(screen.getByText('Nothing waits')).toBeTruthy();
  });

  it('has no axe violations', async () => {
    me(true);
    const { container } = renderQueue({ selectAll: false });
    await screen.findByLabelText('Authenticator code');
    expect(screen.getAllByRole('checkbox')).toHaveLength(3); // no "tick every" when not asked for
    expect(screen.getByRole('group', { name: 'Orders waiting for you' })).toBeTruthy();
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations.map((each) => each.id)).toEqual([]);
  });
});
