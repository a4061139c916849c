import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { ProblemAlert } from './ui';

describe('ProblemAlert', () => {
  it('shows the server’s plain words and links to the page that explains the problem', () => {
    const error = {
      status: 409,
      data: { type: '/problems/breaker-closed', title: 'Conflict', status: 409, detail: 'Trading in SPX is paused for 15 minutes.' },
    };
    render(<MemoryRouter><ProblemAlert error={error} /></MemoryRouter>);
    expect(screen.getByRole('alert').textContent).toContain('Trading in SPX is paused for 15 minutes.');
    expect(screen.getByRole('link', { name: 'What does this mean?' }).getAttribute('href')).toBe('/problems/breaker-closed');
  });

  it('says the app is offline when the request never reached the server', () => {
    render(<ProblemAlert error={{ status: 'FETCH_ERROR', error: 'TypeError: Failed to fetch' }} />);
    expect(screen.getByRole('alert').textContent).toContain('cannot be reached');
  });
});
