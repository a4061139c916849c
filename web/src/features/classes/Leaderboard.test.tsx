import { configureStore } from '@reduxjs/toolkit';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { describe, expect, it, vi } from 'vitest';

import type { LeaderboardOut, StandingOut } from '../../api/generated';
import { LeaderboardTable, ScorePicker } from './Leaderboard';

function standing(rank: number, name: string, score: number | null, totalReturn: number): StandingOut {
  return {
    rank, user_id: name, name, score, total_return: totalReturn, sharpe: score, sortino: null, calmar: null,
    max_drawdown: 0.12, breaker_compliance: 0.75, orders: 4, lesson_mastery: 0.5, days: 20, equity: '10250.00',
    regimes: [{ regime: 'HIGH', total_return: -0.031, days: 3 }, { regime: 'EXTREME', total_return: null, days: 0 }],
  };
}

const board: LeaderboardOut = {
  class_id: 'c', score: 'sharpe', market_date: '2008-10-01',
  standings: [standing(1, 'Steady', 1.8, 0.025), standing(2, 'Gambler', 0.4, 0.31), standing(3, 'Idle', null, 0)],
};

describe('LeaderboardTable', () => {
  it('keeps the server’s ranking, with the raw return beside the score and the regime columns', () => {
    const store = configureStore({ reducer: { auth: () => ({ accessToken: null }) } });
    render(<Provider store={store}><LeaderboardTable board={board} /></Provider>);
    const [steady, gamblerRow, idle] = screen.getAllByTestId('standing');
    const rows = [steady, gamblerRow, idle].map((row) => row as HTMLElement);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual(['Steady', 'Gambler', 'Idle']);
    expect(screen.getByRole('columnheader', { name: 'Sharpe ratio' })).toBeTruthy();
    const gambler = within(rows[1] as HTMLElement).getAllByRole('cell').map((cell) => cell.textContent);
    expect(gambler[0]).toBe('2');
    expect(gambler[1]).toBe('0.40');
    expect(gambler[2]).toBe('+31.00%');
    expect(gambler[6]).toBe('-3.10%'); // while HIGH
    expect(gambler[7]).toBe('—'); // no EXTREME day
    expect(within(rows[2] as HTMLElement).getAllByRole('cell')[1]?.textContent).toBe('—'); // no score yet
  });
});

describe('ScorePicker', () => {
  it('offers the three risk-adjusted scores and never the raw return', () => {
    const chosen = vi.fn();
    render(<ScorePicker score="sortino" onChange={chosen} />);
    const picker = screen.getByLabelText('Rank by') as HTMLSelectElement;
    expect(Array.from(picker.options).map((option) => option.value)).toEqual(['sortino', 'sharpe', 'calmar']);
    fireEvent.change(picker, { target: { value: 'calmar' } });
    expect(chosen).toHaveBeenCalledWith('calmar');
  });
});
