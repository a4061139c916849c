import { render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { AutopilotOut } from '../../api/generated';
import { fakeServer, signedInStore } from '../../test/fakeServer';
import Autopilot from './Autopilot';

const PRACTICE = { id: 'a1', name: 'Practice', scenario_id: 'default', cash: '10000', equity: '10000' };
const OFF: AutopilotOut = {
  account_id: 'a1', enabled: false, decisions: [],
  explanation: 'Autopilot places orders through the same circuit breakers and guardian rules as yours.',
};

function renderAutopilot() {
  render(
    <Provider store={signedInStore()}>
      <Autopilot />
    </Provider>,
  );
}

describe('Autopilot in Settings', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('waits for the accounts instead of telling a learner who has one to open one', async () => {
    fakeServer({ '/api/v1/accounts': () => [200, [PRACTICE]], '/api/v1/accounts/a1/autopilot': () => [200, OFF] });
    renderAutopilot();
    expect(screen.getByRole('status')).toBeTruthy(); // loading
    expect(screen.queryByText(/Open an account first/)).toBeNull();
    expect(await screen.findByText(/circuit breakers/)).toBeTruthy();
    expect(screen.queryByText(/Open an account first/)).toBeNull();
  });

  it('says why when the accounts cannot be read, not "open an account first"', async () => {
    fakeServer({ '/api/v1/accounts': () => [503, { type: '/problems/unavailable', title: 'Service Unavailable', status: 503, detail: 'The database is not answering; try again in a minute.' }] });
    renderAutopilot();
    expect(await screen.findByText(/try again in a minute/)).toBeTruthy();
    expect(screen.queryByText(/Open an account first/)).toBeNull();
  });

  it('asks a learner without an account to open one', async () => {
    fakeServer({ '/api/v1/accounts': () => [200, []] });
    renderAutopilot();
    expect(await screen.findByText(/Open an account first/)).toBeTruthy();
  });
});
