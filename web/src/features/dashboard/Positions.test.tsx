import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PositionOut } from '../../api/generated';
import Positions from './Positions';

const positions: PositionOut[] = [
  { symbol: 'ACME', quantity: '5', average_cost: '30.3236', market_price: '30.6977', market_value: '153.49', unrealized_pnl: '1.87', realized_pnl: '0', commission_paid: '0' },
  { symbol: 'GLBX', quantity: '3', average_cost: '97.8749', market_price: '95.10', market_value: '285.30', unrealized_pnl: '-8.32', realized_pnl: '0', commission_paid: '0' },
];

/** jsdom has no layout and no `matchMedia`: this stands in for the browser's answer to the
 * phone-width query (the e2e page tests see the real one at 390 px). */
function screenWidth(narrow: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: narrow && query.includes('max-width'), media: query,
    addEventListener: () => {}, removeEventListener: () => {},
  }));
}

afterEach(() => vi.unstubAllGlobals());

describe('Positions', () => {
  it('shows a table on a wide screen', () => {
    screenWidth(false);
    render(<MemoryRouter><Positions positions={positions} /></MemoryRouter>);
    expect(screen.getByRole('table', { name: 'Positions' })).toBeTruthy();
    expect(screen.queryAllByTestId('position')).toHaveLength(0);
  });

  it('shows one card per position on a phone, value and profit in view, money in dollars and cents', () => {
    screenWidth(true);
    render(<MemoryRouter><Positions positions={positions} /></MemoryRouter>);
    expect(screen.queryByRole('table')).toBeNull();
    const [acme, glbx] = screen.getAllByTestId('position') as HTMLElement[];
    expect(within(acme!).getByRole('link', { name: 'ACME' }).getAttribute('href')).toBe('/markets/ACME');
    expect(acme!.textContent).toContain('$153.49');
    expect(within(acme!).getByText('Average cost').nextElementSibling?.textContent).toBe('$30.32');
    expect(within(glbx!).getByText('Open profit or loss').nextElementSibling?.textContent).toBe('-$8.32');
    expect(within(glbx!).getByRole('link', { name: 'Sell GLBX' }).getAttribute('href')).toBe('/trade?symbol=GLBX&side=sell&quantity=3');
  });
});
